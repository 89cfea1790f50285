# What the test suite needs beyond the library's own packages, found in one
# place. A missing dependency leaves out the tests that need it, with one
# line at configure time, and registers the test `missing.<debian package>`,
# which prints the same line and exits 77: ctest reports it as skipped, and
# CI (which fails on any skipped test) names the install step that is missing.
# Run `tools/install-deps.sh test` and configure again: every test is back.

set(TRAINSPEC_INSTALL_TEST_DEPS "tools/install-deps.sh test")

# trainspec_missing_test_dependency(<debian package> <what is left out>)
function(trainspec_missing_test_dependency package left_out)
  set(line "${left_out} left out: Debian package ${package} is missing (${TRAINSPEC_INSTALL_TEST_DEPS} installs it)")
  message(STATUS "trainspec: ${line}")
  if(NOT TEST missing.${package})
    add_test(NAME missing.${package} COMMAND sh -c "echo \"$1\"; exit 77" sh "${line}")
    set_tests_properties(missing.${package} PROPERTIES SKIP_RETURN_CODE 77 LABELS missing)
  endif()
endfunction()

# trainspec_find_test_package(<cmake package> <debian package> <what is left out>)
# Sets TRAINSPEC_HAVE_<cmake package> in the caller's scope.
macro(trainspec_find_test_package cmake_package debian_package left_out)
  find_package(${cmake_package} CONFIG QUIET)
  if(${cmake_package}_FOUND)
    set(TRAINSPEC_HAVE_${cmake_package} ON)
  else()
    set(TRAINSPEC_HAVE_${cmake_package} OFF)
    trainspec_missing_test_dependency(${debian_package} "${left_out}")
  endif()
endmacro()

# trainspec_find_test_program(<variable> NAMES <name>... PACKAGE <debian package> LEAVES_OUT <what>)
# Sets <variable> to the program's path, or to <variable>-NOTFOUND.
function(trainspec_find_test_program variable)
  cmake_parse_arguments(PARSE_ARGV 1 P "" "PACKAGE;LEAVES_OUT" "NAMES")
  find_program(${variable} NAMES ${P_NAMES})
  if(NOT ${variable})
    trainspec_missing_test_dependency(${P_PACKAGE} "${P_LEAVES_OUT}")
  endif()
endfunction()

# The Python interpreter of the tests' helper scripts (tools/*.py): Debian's
# /usr/bin/python3 first, whose modules tools/install-deps.sh installs (a
# python3 earlier on PATH, such as pyenv's, lacks them).
function(trainspec_find_test_python left_out)
  find_program(TRAINSPEC_PYTHON NAMES python3 HINTS /usr/bin)
  if(NOT TRAINSPEC_PYTHON)
    trainspec_missing_test_dependency(python3 "${left_out}")
  endif()
endfunction()
