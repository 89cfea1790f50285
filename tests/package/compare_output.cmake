# cmake -P compare_output.cmake -DPROGRAM=<program> -DEXPECTED=<file>: runs the
# program and fails unless it exits 0 and prints exactly the file's content.

cmake_minimum_required(VERSION 3.16)

execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}\n${out}\n${err}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "${PROGRAM} printed\n${out}\nexpected (from README.md)\n${expected}")
endif()
message("${out}")
