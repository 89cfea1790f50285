# The job's own environment files (pip_requirements_file,
# conda_dependencies_file) are part of its image: generate copies them
# into the build context and the image's tag follows their content. They
# are read only as regular files inside source_directory, of at most 1 MiB;
# anything else is refused with the field and the reason, exit 2, and
# nothing written.
#
#   cmake -DPROGRAM=<trainspec-gen> -DWORK=<scratch dir> -P environment_files.cmake

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT WORK)
  message(FATAL_ERROR "environment_files.cmake: set PROGRAM and WORK")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/script_failures.cmake)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/src")
file(WRITE "${WORK}/outside.txt" "numpy\n")
file(WRITE "${WORK}/job.json" [=[{"name": "own-files", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "pip_requirements_file": "requirements.txt"}]=])

macro(run)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
endmacro()

# The tag of the job's image, from `render --target build`.
function(tag_of out_var)
  run(render job.json --target build)
  if(NOT status EQUAL 0 OR NOT out MATCHES "--tag trainspec/own-files:([0-9a-f]+) ")
    fail("render --target build: exit ${status}\n    ${out}${err}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# 1. A regular file: copied beside the Dockerfile, which installs it.
file(WRITE "${WORK}/src/requirements.txt" "numpy==1.26.4\n")
run(generate job.json --out out)
if(NOT status EQUAL 0)
  fail("generate: exit ${status}\n    ${err}")
else()
  file(READ "${WORK}/out/user-requirements.txt" copied)
  if(NOT copied STREQUAL "numpy==1.26.4\n")
    fail("user-requirements.txt is not the job's file: ${copied}")
  endif()
  file(READ "${WORK}/out/Dockerfile" dockerfile)
  if(NOT dockerfile MATCHES "COPY user-requirements.txt /tmp/trainspec/user-requirements.txt\nRUN \\[\"python\", \"-m\", \"pip\", \"install\", \"--no-cache-dir\", \"-r\", \"/tmp/trainspec/user-requirements.txt\"\\]\n")
    fail("the Dockerfile does not install user-requirements.txt:\n${dockerfile}")
  endif()
endif()

# 2. The tag follows the file's content, and only that.
tag_of(first)
tag_of(again)
file(WRITE "${WORK}/src/requirements.txt" "numpy==1.26.3\n")
tag_of(changed)
if(NOT first STREQUAL again OR first STREQUAL changed OR first STREQUAL "")
  fail("the tag is ${first}, then ${again}, then ${changed} after the file changed")
endif()

# 3. Everything that is not a small regular file inside source_directory.
function(refused what expected)
  file(REMOVE_RECURSE "${WORK}/refused")
  run(generate job.json --out refused)
  if(NOT status EQUAL 2)
    fail("${what}: exit ${status}, expected 2\n    ${err}")
  endif()
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    fail("${what}: stderr lacks '${expected}':\n    ${err}")
  endif()
  if(EXISTS "${WORK}/refused")
    fail("${what}: the output directory was created")
  endif()
endfunction()

file(REMOVE "${WORK}/src/requirements.txt")
refused("a missing file" "pip_requirements_file 'requirements.txt': cannot read 'src/requirements.txt': ")
file(CREATE_LINK "../outside.txt" "${WORK}/src/requirements.txt" SYMBOLIC)
refused("a link out of source_directory" "pip_requirements_file 'requirements.txt': leads to '")
file(REMOVE "${WORK}/src/requirements.txt")
file(CREATE_LINK "/dev/zero" "${WORK}/src/requirements.txt" SYMBOLIC)
refused("a link to /dev/zero" "', outside source_directory")
file(REMOVE "${WORK}/src/requirements.txt")
file(MAKE_DIRECTORY "${WORK}/src/requirements.txt")
refused("a directory" "pip_requirements_file 'requirements.txt': cannot read file '")
refused("a directory" "': is a directory, not a regular file")
file(REMOVE_RECURSE "${WORK}/src/requirements.txt")
execute_process(COMMAND mkfifo "${WORK}/src/requirements.txt" RESULT_VARIABLE mkfifo_status)
if(NOT mkfifo_status EQUAL 0)
  fail("mkfifo failed")
endif()
refused("a FIFO (never blocks)" "': is a FIFO, not a regular file")
file(REMOVE "${WORK}/src/requirements.txt")
string(REPEAT "x" 1024 kib)
string(REPEAT "${kib}" 1025 big)
file(WRITE "${WORK}/src/requirements.txt" "${big}")
refused("a file over 1 MiB" "pip_requirements_file 'requirements.txt': has more than 1048576 bytes")

report_failures("environment files")
