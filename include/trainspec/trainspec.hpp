#pragma once
// trainspec: distributed TensorFlow/Keras training jobs, described once.
// The umbrella header: includes every public header.

#include <trainspec/backend.hpp>
#include <trainspec/builder.hpp>
#include <trainspec/compute_target.hpp>
#include <trainspec/container.hpp>
#include <trainspec/framework.hpp>
#include <trainspec/hosts.hpp>
#include <trainspec/images.hpp>
#include <trainspec/job.hpp>
#include <trainspec/job_spec.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/mpi.hpp>
#include <trainspec/mpi_flavor.hpp>
#include <trainspec/mpi_hostfile.hpp>
#include <trainspec/names.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/problem.hpp>
#include <trainspec/rank_table.hpp>
#include <trainspec/resource_names.hpp>
#include <trainspec/script_params.hpp>
#include <trainspec/shell_quote.hpp>
#include <trainspec/spec_json.hpp>
#include <trainspec/targets/azureml.hpp>
#include <trainspec/targets/kubeflow.hpp>
#include <trainspec/targets/slurm.hpp>
#include <trainspec/tf_cluster_rules.hpp>
#include <trainspec/tf_config.hpp>
#include <trainspec/tf_config_options.hpp>
#include <trainspec/tf_config_parse.hpp>
#include <trainspec/training_command.hpp>
#include <trainspec/validate.hpp>
#include <trainspec/version.hpp>
#include <trainspec/vm_sizes.hpp>
