# Reads the JSON of `trainspec-gen plan --json` back and checks that it says
# what the task table says, task by task, for the CLI tests.
#
#   cmake -DPROGRAM=<exe> -DSPEC=<spec> [-DOPTIONS=<opt>|<opt>...] -P check_plan_json.cmake
#
# OPTIONS are the plan's options, separated by '|' (a ';' would split the
# test's command line). Needs CMake 3.19 for string(JSON).

cmake_minimum_required(VERSION 3.19)

if(NOT PROGRAM OR NOT SPEC)
  message(FATAL_ERROR "check_plan_json.cmake: set -DPROGRAM=<exe> and -DSPEC=<spec>")
endif()
string(REPLACE "|" ";" options "${OPTIONS}")

execute_process(COMMAND "${PROGRAM}" plan "${SPEC}" ${options} RESULT_VARIABLE table_status
                OUTPUT_VARIABLE table ERROR_VARIABLE table_err)
execute_process(COMMAND "${PROGRAM}" plan "${SPEC}" ${options} --json RESULT_VARIABLE json_status
                OUTPUT_VARIABLE json ERROR_VARIABLE json_err)
if(NOT table_status STREQUAL "0" OR NOT json_status STREQUAL "0")
  message(FATAL_ERROR "plan exited with ${table_status} (table) and ${json_status} (--json):\n${table_err}${json_err}")
endif()

# The table's rows, cells separated by ';' (no cell holds a space).
string(REGEX REPLACE "\n$" "" table "${table}")
string(REPLACE "\n" ";" table_lines "${table}")
list(POP_FRONT table_lines header)
string(REGEX REPLACE " +" ";" header "${header}")
set(expected_header type index host port rank local_rank gpus)
if(NOT header STREQUAL expected_header)
  message(FATAL_ERROR "table columns: ${header}; expected ${expected_header}")
endif()

string(JSON count ERROR_VARIABLE json_error LENGTH "${json}")
if(json_error)
  message(FATAL_ERROR "plan --json is not a JSON array: ${json_error}\n${json}")
endif()
list(LENGTH table_lines rows)
if(NOT count EQUAL rows)
  message(FATAL_ERROR "plan --json has ${count} tasks, the table ${rows}")
endif()

set(failures "")
if(count GREATER 0)
  math(EXPR last "${count} - 1")
  foreach(i RANGE 0 ${last})
    string(JSON members LENGTH "${json}" ${i})
    if(NOT members EQUAL 7)
      string(APPEND failures "  task ${i}: ${members} keys, expected 7\n")
    endif()
    set(cells "")
    foreach(key type index host rank local_rank)
      string(JSON value GET "${json}" ${i} ${key})
      list(APPEND cells "${value}")
    endforeach()
    # port: null for a task that listens on none; the table shows '-'.
    string(JSON port_type TYPE "${json}" ${i} port)
    if(port_type STREQUAL "NULL")
      set(port "-")
    else()
      string(JSON port GET "${json}" ${i} port)
    endif()
    list(INSERT cells 3 "${port}")
    # gpus: null (not restricted) is '-', [] (no GPU) is 'none', else 0,1.
    string(JSON gpus_type TYPE "${json}" ${i} gpus)
    if(gpus_type STREQUAL "NULL")
      set(gpus "-")
    else()
      string(JSON gpu_count LENGTH "${json}" ${i} gpus)
      if(gpu_count EQUAL 0)
        set(gpus "none")
      else()
        set(gpu_list "")
        math(EXPR last_gpu "${gpu_count} - 1")
        foreach(g RANGE 0 ${last_gpu})
          string(JSON gpu GET "${json}" ${i} gpus ${g})
          list(APPEND gpu_list "${gpu}")
        endforeach()
        list(JOIN gpu_list "," gpus)
      endif()
    endif()
    list(APPEND cells "${gpus}")
    list(GET table_lines ${i} line)
    string(REGEX REPLACE " +" ";" table_cells "${line}")
    if(NOT cells STREQUAL table_cells)
      string(APPEND failures "  task ${i}: JSON says ${cells}, the table ${table_cells}\n")
    endif()
  endforeach()
endif()

if(failures)
  message("${PROGRAM} plan ${SPEC} ${options}: --json and the table differ\n${failures}"
          "--- table:\n${table}\n--- json:\n${json}--- end")
  message(FATAL_ERROR "check failed")
endif()
