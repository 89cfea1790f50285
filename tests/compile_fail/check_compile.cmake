# Compiles one snippet and judges the result; run as `cmake -D... -P`.
#
#   CXX      the compiler
#   FLAGS    its arguments before the source (a list)
#   SOURCE   the snippet
#   MODE     reject: the compile must fail with exactly one error, a failed
#                    static_assert whose line matches MESSAGE;
#            accept: the compile must succeed and print nothing.
#   MESSAGE  regex for the static_assert's error line (reject only)
#   CALIBRATION  empty, or, for the cases that prove the check can fail, the
#            verdict the check must reach: compiled, error-count,
#            not-static-assert, message or not-clean. Such tests are
#            registered WILL_FAIL, so that verdict exits non-zero; any other
#            outcome exits zero and fails the test, so a calibration case
#            cannot pass by failing for an unrelated reason (a wrong path, a
#            bad flag).
#
# The compiler is run directly, not through a build system, so that the cases
# run in parallel and each one costs a single front-end pass.

cmake_minimum_required(VERSION 3.16)

foreach(var CXX FLAGS SOURCE MODE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_compile.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT MODE MATCHES "^(reject|accept)$")
  message(FATAL_ERROR "check_compile.cmake: MODE must be reject or accept, not '${MODE}'")
endif()
if(MODE STREQUAL "reject" AND "${MESSAGE}" STREQUAL "")
  message(FATAL_ERROR "check_compile.cmake: MODE reject needs MESSAGE")
endif()

# The diagnostics are matched in English and without colour codes.
set(ENV{LC_ALL} C)
set(ENV{LANG} C)
unset(ENV{GCC_COLORS})

# The output is split into a list of lines. CMake lists give ';', '\', '['
# and ']' a meaning (separator, escape, brackets that suppress splitting), so
# these travel as unused control characters while the output is a list.
string(ASCII 28 fs)
string(ASCII 29 gs)
string(ASCII 30 rs)
string(ASCII 31 us)
function(encode out text)
  string(REPLACE ";" "${fs}" text "${text}")
  string(REPLACE "\\" "${gs}" text "${text}")
  string(REPLACE "[" "${rs}" text "${text}")
  string(REPLACE "]" "${us}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
function(decode out text)
  string(REPLACE "${fs}" ";" text "${text}")
  string(REPLACE "${gs}" "\\" text "${text}")
  string(REPLACE "${rs}" "[" text "${text}")
  string(REPLACE "${us}" "]" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

execute_process(
  COMMAND ${CXX} ${FLAGS} ${SOURCE}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

list(JOIN FLAGS " " flags_text)
set(command_text "${CXX} ${flags_text} ${SOURCE}")

# verdict: "ok" or why the check fails; detail: what to show.
set(verdict ok)
set(detail "")

if(MODE STREQUAL "accept")
  if(NOT status EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
    set(verdict not-clean)
    set(detail "expected a clean compile (status ${status}) of\n  ${command_text}\n${out}${err}")
  else()
    set(detail "compiles cleanly: ${SOURCE}")
  endif()
elseif(status EQUAL 0)
  set(verdict compiled)
  set(detail "expected the compile to fail, but it succeeded:\n  ${command_text}\n${out}${err}")
else()
  # One list element per line of the diagnostics.
  encode(lines "${err}")
  string(REPLACE "\n" ";" lines "${lines}")

  # A diagnostic line says "file:line:col: error: " (or "fatal error: ",
  # "internal compiler error: "; the driver says "g++: error: "). GCC 12 and
  # clang 14 both print a failed static_assert as one such line with the
  # message on it: "error: static assertion failed: MESSAGE" and
  # "error: static_assert failed due to requirement '...' "MESSAGE"". What
  # follows it (GCC's "note: '...' evaluates to false", clang's "note: in
  # instantiation of ... requested here") and what precedes it (GCC's "In
  # instantiation of ...", "required from here") is context, not errors. Echoed
  # source lines start with blanks in GCC's layout; clang echoes them as
  # written, and no snippet has "error: " in its text.
  set(error_line "^([^ \t].*: )?(fatal |internal compiler )?error: ")
  set(errors "")
  foreach(line IN LISTS lines)
    if(line MATCHES "${error_line}")
      list(APPEND errors "${line}")
    endif()
  endforeach()
  list(LENGTH errors error_count)

  if(NOT error_count EQUAL 1)
    set(verdict error-count)
    set(detail "expected exactly 1 error line, got ${error_count}:\n  ${command_text}\n${err}")
  else()
    list(GET errors 0 error)
    decode(error "${error}")
    if(NOT error MATCHES "static[_ ]assert(ion)? failed")
      set(verdict not-static-assert)
      set(detail "the one error is not a failed static_assert:\n  ${error}\nfull output:\n${err}")
    elseif(NOT error MATCHES "${MESSAGE}")
      set(verdict message)
      set(detail "the static_assert's message does not match\n  ${MESSAGE}\nerror line:\n  ${error}\nfull output:\n${err}")
    else()
      set(detail "rejected as expected: ${error}")
    endif()
  endif()
endif()

if(NOT "${CALIBRATION}" STREQUAL "")
  if(verdict STREQUAL CALIBRATION)
    message(FATAL_ERROR "${verdict} (as this calibration case expects): ${detail}")
  endif()
  # Exiting zero fails a WILL_FAIL test: the check did not fail as intended.
  message("calibration case expected the verdict '${CALIBRATION}', got '${verdict}':\n${detail}")
elseif(verdict STREQUAL "ok")
  message(STATUS "${detail}")
else()
  message(FATAL_ERROR "${verdict}: ${detail}")
endif()
