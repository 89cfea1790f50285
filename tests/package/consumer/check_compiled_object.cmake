# cmake -DNM=<nm> -DOBJECTS=<object files> -P check_compiled_object.cmake:
# the consumer's object file, compiled against trainspec::compiled (or
# trainspec-compiled.pc), must leave the library's entry points that main.cpp
# calls undefined, for the library to define: with TRAINSPEC_COMPILED_LIB
# the headers only declare them. An inline definition compiled into the
# object instead (a weak symbol, or none at all once inlined) fails here.

cmake_minimum_required(VERSION 3.16)

if(NOT NM)
  message(FATAL_ERROR "check_compiled_object.cmake: no nm program (CMAKE_NM) to read the consumer's object with")
endif()
if(NOT OBJECTS)
  message(FATAL_ERROR "check_compiled_object.cmake: set OBJECTS")
endif()

# nm's output goes to a file next to the first object, and only its lines
# that name the entry points are read back (a header-only object has
# megabytes of symbols).
list(GET OBJECTS 0 first_object)
set(symbols_file "${first_object}.symbols")
execute_process(COMMAND "${NM}" -C ${OBJECTS} RESULT_VARIABLE rc OUTPUT_FILE "${symbols_file}" ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -C ${OBJECTS} failed (${rc})\n${err}")
endif()
file(STRINGS "${symbols_file}" symbols REGEX "trainspec::.*(load_job|dump_spec)")
file(REMOVE "${symbols_file}")

# `nm -C` writes an undefined symbol as `<spaces>U <demangled name>`; the
# name is in trainspec's ABI namespace and may carry an [abi:...] tag.
set(missing "")
foreach(entry_point load_job dump_spec)
  set(undefined FALSE)
  foreach(symbol IN LISTS symbols)
    if(symbol MATCHES "^ *U trainspec::([A-Za-z0-9_]+::)*${entry_point}(\\[abi:[A-Za-z0-9_]+\\])*\\(")
      set(undefined TRUE)
    endif()
  endforeach()
  if(NOT undefined)
    list(APPEND missing "trainspec::${entry_point}()")
  endif()
endforeach()
if(missing)
  string(REPLACE ";" " and " missing "${missing}")
  string(REPLACE ";" "\n  " symbols "${symbols}")
  message(FATAL_ERROR "the consumer's object does not leave ${missing} to the library (undefined): it was not "
                      "compiled in compiled mode. Its symbols of those names:\n  ${symbols}")
endif()
message("the consumer's object leaves trainspec::load_job() and trainspec::dump_spec() to the library")
