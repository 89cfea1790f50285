# Runs one program and checks its exit status and output, for the CLI tests.
#
#   cmake -DPROGRAM=<exe> -DCASE=<case.cmake> -P check_output.cmake
#
# CASE is written by trainspec_cli_test() or trainspec_cli_cases()
# (cli_cases.cmake) and sets:
#   ARGS             the program's arguments
#   ENV              environment changes for the program, as `cmake -E env`
#                    takes them: NAME=VALUE, --unset=NAME
#   EXIT             the expected exit status
#   STDIN_FILE       a file to feed on standard input
#   STDOUT_TO        a file to send standard output to instead of checking it
#   STDOUT_FILE      a file standard output must equal, byte for byte
#   STDOUT_EXACT     text standard output must equal
#   STDOUT_CONTAINS  texts that must each appear in standard output
#   STDOUT_MATCHES   regular expressions that must each match standard output
#   STDOUT_NOT_MATCHING  regular expressions that must not match standard output
#   STDOUT_BYTES_FILE  a file standard output must equal byte for byte, NUL
#                    bytes included (compared as hex; CMake strings cannot
#                    hold NUL)
#   STDERR_CONTAINS  texts that must each appear in standard error
#   STDOUT_EMPTY, STDERR_EMPTY
#   PROBLEMS_FILE    the problems `validate SPEC_NAME` must report: one per
#                    line, each the start of a `SPEC_NAME: path = value: rule`
#                    line on standard error; '#' lines are comments. Exactly
#                    these problems, no more, no fewer.
#
# Every failed check is reported before the test fails, with the output.

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT CASE)
  message(FATAL_ERROR "check_output.cmake: set -DPROGRAM=<exe> and -DCASE=<case.cmake>")
endif()
include("${CASE}")

set(failures "")
macro(fail text)
  string(APPEND failures "  - ${text}\n")
endmacro()

# Splits TEXT into lines without going through a CMake list (problem lines
# hold brackets and semicolons). Sets <out>_COUNT and <out>_<i>.
function(split_lines text out)
  set(count 0)
  while(NOT text STREQUAL "")
    string(FIND "${text}" "\n" newline)
    if(newline EQUAL -1)
      set(line "${text}")
      set(text "")
    else()
      string(SUBSTRING "${text}" 0 ${newline} line)
      math(EXPR newline "${newline} + 1")
      string(SUBSTRING "${text}" ${newline} -1 text)
    endif()
    set(${out}_${count} "${line}" PARENT_SCOPE)
    math(EXPR count "${count} + 1")
  endwhile()
  set(${out}_COUNT ${count} PARENT_SCOPE)
endfunction()

set(run_options "")
if(STDIN_FILE)
  list(APPEND run_options INPUT_FILE "${STDIN_FILE}")
endif()
if(STDOUT_BYTES_FILE)
  # The output goes to a file next to the case file, for the hex comparison.
  set(STDOUT_TO "${CASE}.stdout")
endif()
if(STDOUT_TO)
  list(APPEND run_options OUTPUT_FILE "${STDOUT_TO}")
else()
  list(APPEND run_options OUTPUT_VARIABLE out)
endif()
set(command "${PROGRAM}" ${ARGS})
if(ENV)
  set(command "${CMAKE_COMMAND}" -E env ${ENV} ${command})
endif()
execute_process(COMMAND ${command} ${run_options} RESULT_VARIABLE status ERROR_VARIABLE err)

if(NOT "${status}" STREQUAL "${EXIT}")
  fail("exit status ${status}, expected ${EXIT}")
endif()

if(STDOUT_FILE)
  file(READ "${STDOUT_FILE}" expected_out)
  if(NOT out STREQUAL expected_out)
    fail("standard output differs from ${STDOUT_FILE}; expected:\n${expected_out}")
  endif()
endif()
if(DEFINED STDOUT_EXACT AND NOT out STREQUAL STDOUT_EXACT)
  fail("standard output is not exactly: ${STDOUT_EXACT}")
endif()
foreach(text IN LISTS STDOUT_CONTAINS)
  string(FIND "${out}" "${text}" at)
  if(at EQUAL -1)
    fail("standard output lacks: ${text}")
  endif()
endforeach()
foreach(regex IN LISTS STDOUT_MATCHES)
  if(NOT out MATCHES "${regex}")
    fail("standard output does not match: ${regex}")
  endif()
endforeach()
foreach(regex IN LISTS STDOUT_NOT_MATCHING)
  if(out MATCHES "${regex}")
    fail("standard output matches what it must not: ${regex} (matched: ${CMAKE_MATCH_0})")
  endif()
endforeach()
if(STDOUT_BYTES_FILE)
  file(READ "${STDOUT_BYTES_FILE}" expected_hex HEX)
  file(READ "${STDOUT_TO}" actual_hex HEX)
  if(NOT actual_hex STREQUAL expected_hex)
    set(difference "standard output differs from ${STDOUT_BYTES_FILE} (hex; 00 is a NUL byte)\n")
    string(APPEND difference "    expected: ${expected_hex}\n    actual:   ${actual_hex}")
    fail("${difference}")
  endif()
endif()
foreach(text IN LISTS STDERR_CONTAINS)
  string(FIND "${err}" "${text}" at)
  if(at EQUAL -1)
    fail("standard error lacks: ${text}")
  endif()
endforeach()
if(STDOUT_EMPTY AND NOT out STREQUAL "")
  fail("standard output is not empty")
endif()
if(STDERR_EMPTY AND NOT err STREQUAL "")
  fail("standard error is not empty")
endif()

if(PROBLEMS_FILE)
  file(READ "${PROBLEMS_FILE}" expected_text)
  split_lines("${expected_text}" expected)
  split_lines("${err}" actual)
  set(prefix "${SPEC_NAME}: ")
  set(expected_count 0)
  set(reported 0)
  if(expected_COUNT GREATER 0)
    math(EXPR last_expected "${expected_COUNT} - 1")
    foreach(i RANGE 0 ${last_expected})
      if(expected_${i} STREQUAL "" OR expected_${i} MATCHES "^#")
        continue()
      endif()
      math(EXPR expected_count "${expected_count} + 1")
      set(found FALSE)
      if(actual_COUNT GREATER 0)
        math(EXPR last_actual "${actual_COUNT} - 1")
        foreach(j RANGE 0 ${last_actual})
          string(FIND "${actual_${j}}" "${prefix}${expected_${i}}" at)
          if(at EQUAL 0)
            set(found TRUE)
            break()
          endif()
        endforeach()
      endif()
      if(NOT found)
        fail("problem not reported: ${prefix}${expected_${i}}")
      endif()
    endforeach()
  endif()
  if(actual_COUNT GREATER 0)
    math(EXPR last_actual "${actual_COUNT} - 1")
    foreach(j RANGE 0 ${last_actual})
      string(FIND "${actual_${j}}" "${prefix}" at)
      if(at EQUAL 0)
        math(EXPR reported "${reported} + 1")
      endif()
    endforeach()
  endif()
  if(NOT reported EQUAL expected_count)
    fail("${reported} problems reported, ${expected_count} expected (${PROBLEMS_FILE})")
  endif()
endif()

if(failures)
  string(REPLACE ";" " " shown_args "${ARGS}")
  if(ENV)
    string(REPLACE ";" " " shown_env "${ENV}")
    set(shown_args "${shown_args} (environment: ${shown_env})")
  endif()
  # Plain message() keeps the output as it is (FATAL_ERROR would re-wrap it).
  message("${PROGRAM} ${shown_args}\n${failures}--- exit status: ${status}\n--- standard output:\n${out}"
          "--- standard error:\n${err}--- end")
  message(FATAL_ERROR "check failed")
endif()
