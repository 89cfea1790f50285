#pragma once
// The verbs of trainspec-gen: each file of verbs fills in its entries
// (usage, options, the function that runs it); main.cpp lists them.

#include "cli.hpp"

namespace trainspec_gen {

verb validate_verb();  // validate_plan.cpp
verb plan_verb();
verb tf_config_verb();  // tf_config.cpp
verb check_tf_config_verb();
verb mpirun_verb();  // mpi.cpp
verb hostfile_verb();
verb render_verb();  // render.cpp
verb generate_verb();
verb sweep_verb();  // sweep.cpp

/// No arguments: validates and summarises the built-in seed scenarios (seeds.cpp).
int run_seed_scenarios();

}  // namespace trainspec_gen
