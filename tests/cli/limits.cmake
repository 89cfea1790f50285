# The ceilings of docs/limits.md through trainspec-gen: each refusal exits 2
# and names the field, the value and the limit; inputs at a ceiling, and
# large inputs the readers must take in linear work (40,000 variables,
# packages, hosts, parameters), are accepted. The time they take is measured
# by benchmarks/scale_bench.cpp, not here.
#
#   cmake -DPROGRAM=<trainspec-gen> -DWORK=<scratch dir> -P limits.cmake

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT WORK)
  message(FATAL_ERROR "limits.cmake: set PROGRAM and WORK")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/script_failures.cmake)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Runs trainspec-gen in WORK; `status`, `out` and `err` in the caller.
macro(run)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
endmacro()

macro(run_with_input input)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK}" INPUT_FILE "${input}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
endmacro()

function(expect_text what stream text)
  string(FIND "${stream}" "${text}" at)
  if(at EQUAL -1)
    string(SUBSTRING "${stream}" 0 2000 shown)
    fail("${what}: lacks '${text}':\n    ${shown}")
  endif()
endfunction()

# Exit 2 and every text in stderr.
function(expect_refused what)
  if(NOT status EQUAL 2)
    string(SUBSTRING "${err}" 0 2000 shown)
    fail("${what}: exit ${status}, expected 2\n    ${shown}")
  endif()
  foreach(text IN LISTS ARGN)
    expect_text("${what}" "${err}" "${text}")
  endforeach()
endfunction()

function(expect_valid what)
  if(NOT status EQUAL 0)
    string(SUBSTRING "${err}" 0 2000 shown)
    fail("${what}: exit ${status}, expected 0\n    ${shown}")
  endif()
endfunction()

set(head [=[{"apiVersion": "trainspec/v1", "name": "big", "source_directory": "src", "entry_script": "train.py"]=])

# `count` items "<prefix>0<suffix>", "<prefix>1<suffix>", ..., comma-separated, in `out`.
function(numbered out prefix suffix count)
  set(items "")
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(APPEND items "${prefix}${i}${suffix},")
  endforeach()
  string(REGEX REPLACE ",$" "" items "${items}")
  set(${out} "${items}" PARENT_SCOPE)
endfunction()

# ---- tasks: 2^20; the 180-byte spec of 2,000,000,000 nodes ----

file(WRITE "${WORK}/nodes.json"
     [=[{"apiVersion":"trainspec/v1","source_directory":"s","entry_script":"t.py","compute_target":"c",]=]
     [=["node_count":2000000000,"distributed_backend":"mpi"}]=])
set(tasks_problem
    "nodes.json: node_count = 2000000000: the job would start 2000000000 tasks; a job has at most 1048576 (docs/limits.md)")
foreach(verb IN ITEMS validate plan mpirun)
  run(${verb} nodes.json)
  expect_refused("${verb} of 2,000,000,000 nodes" "${tasks_problem}" "nodes.json is not a valid job: 1 problem")
endforeach()
file(WRITE "${WORK}/ceiling.json"
     "${head}, \"compute_target\": \"c\", \"node_count\": 131072, \"process_count_per_node\": 8, "
     "\"distributed_backend\": \"mpi\"}")
run(validate ceiling.json)
expect_valid("131,072 nodes x 8 processes")
expect_text("131,072 nodes x 8 processes" "${out}" "1048576 tasks")
file(WRITE "${WORK}/over.json"
     "${head}, \"compute_target\": \"c\", \"node_count\": 131072, \"process_count_per_node\": 9, "
     "\"distributed_backend\": \"mpi\"}")
run(validate over.json)
expect_refused("131,072 nodes x 9 processes"
               "over.json: node_count = 131072: the job would start 1179648 tasks; a job has at most 1048576")

# ---- mpirun's host list is one argument: past 131,071 bytes, a hostfile ----

# 10,000 generated hosts "big-node-N:1": 158,889 bytes in -H.
file(WRITE "${WORK}/hosts-10000.json"
     "${head}, \"compute_target\": \"c\", \"node_count\": 10000, \"distributed_backend\": \"mpi\"}")
run(mpirun hosts-10000.json)
expect_refused("mpirun of 10,000 hosts"
               "hosts-10000.json: hosts: an argument of 158889 bytes; one argument or environment string (Linux's MAX_ARG_STRLEN, 131072, counts its NUL) has at most 131071 bytes, so the line could not run: give the hosts in a hostfile (docs/limits.md)")
run(mpirun hosts-10000.json --hostfile-path hosts.txt)
expect_valid("mpirun of 10,000 hosts from a hostfile")
expect_text("mpirun of 10,000 hosts from a hostfile" "${out}" "-np 10000 --hostfile hosts.txt")

# ---- nesting: 64 levels, checked while the spec is read ----

string(REPEAT "[" 40000 open)
string(REPEAT "]" 40000 close)
file(WRITE "${WORK}/deep.json" "${head}, \"x\": ${open}${close}}")
run(validate deep.json)
string(REPEAT "[0]" 63 levels)
expect_refused("40,000 levels"
               "deep.json: x${levels}: nests arrays and objects 65 deep; a spec nests them at most 64 deep"
               "deep.json is not a valid job: 1 problem")
string(LENGTH "${err}" err_bytes)
if(err_bytes GREATER 1000)
  fail("40,000 levels: ${err_bytes} bytes of messages")
endif()

# ---- input read from standard input: bounded ----

run_with_input(/dev/zero validate -)
expect_refused("a spec from /dev/zero on stdin"
               "cannot read the spec from standard input: has more than 4194304 bytes, the limit of a spec")
run_with_input(/dev/zero check-tf-config -)
expect_refused("a TF_CONFIG from /dev/zero on stdin"
               "cannot read the TF_CONFIG from standard input: has more than 131061 bytes, the limit of a TF_CONFIG")
run_with_input(/dev/zero plan ceiling.json --hosts @-)
expect_refused("a hostfile from /dev/zero on stdin"
               "cannot read the hostfile from standard input: has more than 67108864 bytes, the limit of a hostfile")
file(WRITE "${WORK}/deep-tf-config.json" "${open}${close}")
run_with_input("${WORK}/deep-tf-config.json" check-tf-config -)
expect_refused("a TF_CONFIG 40,000 levels deep"
               "invalid TF_CONFIG: $: maximum recursion depth exceeded while decoding a JSON array")

# ---- 40,000 entries of each list: read in linear work ----

numbered(variables "\"V" "\": \"1\"" 40000)
file(WRITE "${WORK}/variables.json"
     "${head}, \"compute_target\": \"c\", \"environment_variables\": {${variables}}}")
run(validate variables.json)
expect_valid("40,000 environment variables")
file(WRITE "${WORK}/variables-twice.json"
     "${head}, \"compute_target\": \"c\", \"environment_variables\": {${variables}, \"V39999\": \"2\"}}")
run(validate variables-twice.json)
expect_refused("40,000 environment variables, one twice"
               "variables-twice.json: environment_variables[\"V39999\"]: duplicate key; JSON readers keep only one"
               "variables-twice.json is not a valid job: 1 problem")

numbered(packages "\"p" "\"" 40000)
file(WRITE "${WORK}/packages.json" "${head}, \"compute_target\": \"c\", \"pip_packages\": [${packages}, \"p0\"]}")
run(validate packages.json)
expect_refused("40,000 packages, one twice"
               "packages.json: pip_packages[40000] = \"p0\": duplicates pip_packages[0]"
               "packages.json is not a valid job: 1 problem")
file(WRITE "${WORK}/conda.json" "${head}, \"compute_target\": \"c\", \"conda_packages\": [${packages}]}")
run(validate conda.json)
expect_valid("40,000 conda packages")

numbered(hosts "\"h" "\"" 40000)
file(WRITE "${WORK}/hosts.json"
     "${head}, \"compute_target\": {\"name\": \"c\", \"hosts\": [${hosts}, \"h17:2\"]}}")
run(validate hosts.json)
expect_refused("40,000 hosts, one twice"
               "hosts.json: compute_target.hosts[40000].name = \"h17\": host \"h17\" is listed twice"
               "hosts.json is not a valid job: 1 problem")
numbered(hostfile "h" " slots=1\n" 40000)
string(REPLACE ",h" "h" hostfile "${hostfile}")
file(WRITE "${WORK}/hostfile" "${hostfile}h17 slots=2\n")
run(plan ceiling.json --hosts hostfile)
expect_refused("a hostfile of 40,001 lines, one host twice"
               "hostfile 'hostfile': invalid host \"line 40001: h17\": host \"h17\" is listed twice")

numbered(flags "\"-" "\": null" 40000)
file(WRITE "${WORK}/flags.json" "${head}, \"compute_target\": \"c\", \"script_params\": {${flags}}}")
run(validate flags.json)
expect_valid("40,000 script parameters")

# ---- entries of a list: 65,536 ----

numbered(many "\"p" "\"" 65537)
file(WRITE "${WORK}/many.json" "${head}, \"compute_target\": \"c\", \"pip_packages\": [${many}]}")
run(validate many.json)
expect_refused("65,537 packages"
               "many.json: pip_packages = 65537 entries: a list has at most 65536 entries (docs/limits.md)"
               "many.json is not a valid job: 1 problem")

# ---- problems listed: 1000, then one counts the rest ----

numbered(numbers "" "" 40000)
file(WRITE "${WORK}/numbers.json" "${head}, \"compute_target\": \"c\", \"pip_packages\": [${numbers}]}")
run(validate numbers.json)
expect_refused("40,000 package names that are numbers"
               "numbers.json: pip_packages[999] = 999: must be a string, not integer"
               "numbers.json: $ = 39000: more problems, not listed: trainspec lists at most 1000 (docs/limits.md)"
               "numbers.json is not a valid job: 1001 problems")

# ---- a TF_CONFIG reaches its task as one environment string ----

# 6,594 workers on 824 generated hosts: the largest whose TF_CONFIG fits.
foreach(workers IN ITEMS 6594 6595)
  file(WRITE "${WORK}/workers-${workers}.json"
       "${head}, \"compute_target\": \"c\", \"node_count\": 824, \"worker_count\": ${workers}, "
       "\"distributed_backend\": \"multi_worker\", \"framework_version\": \"2.16\"}")
endforeach()
run(tf-config workers-6594.json --task worker:6593)
expect_valid("the TF_CONFIG of 6,594 workers")
string(LENGTH "${out}" tf_config_bytes)
if(tf_config_bytes GREATER 131062 OR tf_config_bytes LESS 131000)  # with its line break
  fail("the TF_CONFIG of 6,594 workers has ${tf_config_bytes} bytes with its line break, expected at most 131062")
endif()
foreach(verb IN ITEMS "tf-config;--all" "tf-config;--task;worker:0" "render;--target;tfjob")
  list(GET verb 0 name)
  list(REMOVE_AT verb 0)
  run(${name} workers-6595.json ${verb})
  expect_refused("${name} ${verb} of 6,595 workers" "workers-6595.json: tf_config = "
                 "bytes (6595 tasks); TF_CONFIG=... reaches the task as one environment string, so the value has at "
                 "most 131061 bytes (Linux's MAX_ARG_STRLEN, 131072, counts the name and the NUL)")
  if(NOT out STREQUAL "")
    fail("${name} ${verb} of 6,595 workers wrote to stdout before refusing")
  endif()
endforeach()

report_failures("limits")
