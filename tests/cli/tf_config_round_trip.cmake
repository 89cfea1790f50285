# The TF_CONFIG that `trainspec-gen tf-config` writes is read back by
# `trainspec-gen check-tf-config --json` three ways: piped on standard input,
# from the TF_CONFIG environment variable, and as an argument. Each must
# succeed and name the task asked for, for the CLI tests.
#
#   cmake -DPROGRAM=<exe> -DSPEC=<spec> -DTASK=<type:index> [-DOPTIONS=<opt>|<opt>...]
#         [-DCHECK_OPTIONS=<opt>|<opt>...] [-DEXPECT=<text>|<text>...] -P tf_config_round_trip.cmake
#
# OPTIONS go to tf-config, CHECK_OPTIONS to check-tf-config, separated by
# '|' (a ';' would split the test's command line); EXPECT are texts the
# consumer's JSON view must hold besides the task.

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT SPEC OR NOT TASK)
  message(FATAL_ERROR "tf_config_round_trip.cmake: set -DPROGRAM=<exe>, -DSPEC=<spec> and -DTASK=<type:index>")
endif()
string(REPLACE "|" ";" options "${OPTIONS}")
string(REPLACE "|" ";" check_options "${CHECK_OPTIONS}")
list(APPEND check_options --json)
string(REPLACE "|" ";" expect "${EXPECT}")
string(REGEX REPLACE "^([a-z]+):([0-9]+)$" "\"task_type\":\"\\1\",\"task_id\":\\2" task_fields "${TASK}")
list(APPEND expect "${task_fields}")

set(failures "")
set(log "")
function(check_summary how status out err)
  set(log "${log}--- ${how}: exit status ${status}\n--- standard output:\n${out}--- standard error:\n${err}"
      PARENT_SCOPE)
  if(NOT status STREQUAL "0")
    set(failures "${failures}  - ${how}: exit status ${status}, expected 0\n" PARENT_SCOPE)
    return()
  endif()
  foreach(text IN LISTS expect)
    string(FIND "${out}" "${text}" at)
    if(at EQUAL -1)
      set(failures "${failures}  - ${how}: the view lacks: ${text}\n" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

# 1. tf-config ... | check-tf-config -
execute_process(COMMAND "${PROGRAM}" tf-config "${SPEC}" --task "${TASK}" ${options}
                COMMAND "${PROGRAM}" check-tf-config - ${check_options}
                RESULTS_VARIABLE statuses OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REPLACE ";" "," statuses_shown "${statuses}")
if(NOT statuses STREQUAL "0;0")
  string(APPEND failures "  - pipe: exit statuses ${statuses_shown}, expected 0,0\n")
  string(APPEND log "--- pipe: exit statuses ${statuses_shown}\n--- standard output:\n${out}--- standard error:\n${err}")
else()
  check_summary("pipe" 0 "${out}" "${err}")
endif()

# 2. TF_CONFIG=$(tf-config ...) check-tf-config
execute_process(COMMAND "${PROGRAM}" tf-config "${SPEC}" --task "${TASK}" ${options}
                RESULT_VARIABLE status OUTPUT_VARIABLE tf_config ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "tf-config ${SPEC} --task ${TASK} ${options}: exit status ${status}\n${err}")
endif()
string(REGEX REPLACE "\n$" "" tf_config "${tf_config}")
set(ENV{TF_CONFIG} "${tf_config}")
execute_process(COMMAND "${PROGRAM}" check-tf-config ${check_options}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
check_summary("environment" "${status}" "${out}" "${err}")
unset(ENV{TF_CONFIG})

# 3. check-tf-config "$(tf-config ...)"
execute_process(COMMAND "${PROGRAM}" check-tf-config "${tf_config}" ${check_options}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
check_summary("argument" "${status}" "${out}" "${err}")

if(failures)
  string(REPLACE ";" " " options "${options}")
  string(REPLACE ";" " " check_options "${check_options}")
  message("${PROGRAM}: tf-config ${SPEC} --task ${TASK} ${options} read back by check-tf-config ${check_options}\n"
          "TF_CONFIG: ${tf_config}\n${failures}${log}--- end")
  message(FATAL_ERROR "check failed")
endif()
