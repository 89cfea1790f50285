# trainspec-gen generate, end to end, in a scratch directory:
#
#   cmake -DPROGRAM=<exe> -DSPEC=<spec> -DWORK=<scratch dir> -DFILES=<file|file...>
#         [-DOPTIONS=<--option|value|...>] -P generate_round_trip.cmake
#
#   1. generate into a new directory: exit 0, exactly FILES are there (no
#      temporary files left), each reported "written", each the bytes that
#      `render --target T` prints (plan.json: `plan --json`);
#   2. again: exit 0, every file "unchanged", nothing rewritten;
#   3. one file edited: exit 2, the conflict named, nothing written (the
#      edit stays, the other files are untouched);
#   4. again with --force: exit 0, that file "overwritten", the rest "unchanged";
#   5. a directory holding only a conflicting file: exit 2, nothing added;
#   6. an invalid spec: exit 2, the directory is not created;
#   7. a rendering error (a bad --namespace): exit 2, the empty directory stays empty.

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT SPEC OR NOT WORK OR NOT FILES)
  message(FATAL_ERROR "generate_round_trip.cmake: set PROGRAM, SPEC, WORK and FILES")
endif()
string(REPLACE "|" ";" files "${FILES}")
string(REPLACE "|" ";" options "${OPTIONS}")

include(${CMAKE_CURRENT_LIST_DIR}/script_failures.cmake)

# Runs trainspec-gen; sets status, out, err.
macro(run)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
endmacro()

macro(expect_status expected what)
  if(NOT "${status}" STREQUAL "${expected}")
    fail("${what}: exit status ${status}, expected ${expected}\n    stdout: ${out}\n    stderr: ${err}")
  endif()
endmacro()

# The directory's entries, sorted, hidden files included.
function(entries_of dir out_var)
  file(GLOB names RELATIVE "${dir}" "${dir}/*" "${dir}/.*")
  list(SORT names)
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

function(target_of file out_var)
  set(map "tfjob.json=tfjob" "mpijob.json=mpijob" "slurm.sbatch=slurm" "docker-run.sh=docker"
          "Dockerfile=dockerfile" "build-image.sh=build" "environment.yml=conda" "requirements.txt=requirements" "azureml-job.json=azureml"
          "hostfile=hostfile" "launch.sh=launch")
  set(${out_var} "" PARENT_SCOPE)
  foreach(pair IN LISTS map)
    if(pair MATCHES "^${file}=(.*)$")
      set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

file(REMOVE_RECURSE "${WORK}")
set(out_dir "${WORK}/out")

# The spec's source directory (relative to the current directory) as the
# generated files reach it from the output directory.
file(READ "${SPEC}" spec_text)
string(JSON source GET "${spec_text}" source_directory)
string(JSON job_name ERROR_VARIABLE no_name GET "${spec_text}" name)
get_filename_component(source_absolute "${source}" ABSOLUTE)
file(RELATIVE_PATH source_from_out "${out_dir}" "${source_absolute}")
string(REGEX REPLACE "^\\./" "" source_normal "${source}")
# --source-path (relative to the current directory) replaces it in the docker line.
set(mount_source "${source_normal}")
set(mount_from_out "${source_from_out}")
list(FIND options "--source-path" at)
if(NOT at EQUAL -1)
  math(EXPR at "${at} + 1")
  list(GET options ${at} mount_source)
  get_filename_component(mount_absolute "${mount_source}" ABSOLUTE)
  file(RELATIVE_PATH mount_from_out "${out_dir}" "${mount_absolute}")
endif()
set(expected_entries ${files})
list(SORT expected_entries)

# 1. A new directory.
run(generate "${SPEC}" --out "${out_dir}" ${options})
expect_status(0 "first generate")
set(first_out "${out}")
entries_of("${out_dir}" entries)
if(NOT "${entries}" STREQUAL "${expected_entries}")
  fail("the directory holds '${entries}', expected '${expected_entries}'")
endif()
foreach(file IN LISTS files)
  string(REPLACE "." "\\." file_regex "${file}")
  if(NOT first_out MATCHES "(^|\n)${file_regex} +[0-9]+  written\n")
    fail("first generate: ${file} is not reported written:\n${first_out}")
  endif()
  file(READ "${out_dir}/${file}" content)
  if(file STREQUAL "plan.json")
    set(target plan)
  else()
    target_of("${file}" target)
  endif()
  # The options render takes for this target (it rejects the others).
  set(render_options "")
  set(i 0)
  list(LENGTH options n)
  while(i LESS n)
    list(GET options ${i} name)
    math(EXPR j "${i} + 1")
    list(GET options ${j} value)
    set(i ${j})
    math(EXPR i "${i} + 1")
    if((name STREQUAL "--hosts" AND target MATCHES "^(tfjob|slurm|plan|hostfile|launch)$")
       OR (name STREQUAL "--image" AND target MATCHES "^(tfjob|mpijob|docker|slurm)$")
       OR (name MATCHES "^--(namespace|cluster-domain)$" AND target MATCHES "^(tfjob|mpijob)$")
       OR (name STREQUAL "--partition" AND target STREQUAL "slurm")
       OR (name STREQUAL "--source-path" AND target STREQUAL "docker"))
      list(APPEND render_options "${name}" "${value}")
    endif()
  endwhile()
  if(target STREQUAL "plan")
    run(plan "${SPEC}" --json ${render_options})
  elseif(target STREQUAL "hostfile")
    run(hostfile "${SPEC}" ${render_options})
  elseif(target STREQUAL "launch")
    # The mpirun line of the same hosts, with the hostfile beside the script,
    # started from the source directory as the script reaches it.
    run(mpirun "${SPEC}" ${render_options} --hostfile-path HOSTFILE)
    string(REPLACE " --hostfile HOSTFILE " " --hostfile \"$here\"/hostfile " out "${out}")
    string(REGEX MATCH "^[^\n]*" line "${out}")
    string(CONCAT out "#!/bin/sh\n# trainspec: the MPI launch of ${job_name} on the hosts of ./hostfile\nset -eu\n"
           "here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\ncd -- \"$here\"/${source_from_out}\n"
           "exec ${line}\n")
  else()
    run(render "${SPEC}" --target ${target} ${render_options})
    # Written into the output directory, the files reach the source
    # directory from there (docs/cli.md); render's come from the current one.
    if(target STREQUAL "docker")
      string(REPLACE " -v \"$PWD\"/${mount_source}:" " -v \"$here\"/${mount_from_out}:" out "${out}")
      set(out "#!/bin/sh\nset -eu\nhere=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\nexec ${out}")
    elseif(target STREQUAL "build")
      string(REPLACE "--build-context source=\"$PWD\"/${source_normal} " "--build-context source=\"$here\"/${source_from_out} " out "${out}")
      string(REPLACE " \"$PWD\"\n" " \"$here\"\n" out "${out}")
      string(REPLACE " from the Dockerfile here\nset -eu\n" " from the Dockerfile beside this script\nset -eu\nhere=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n" out "${out}")
    elseif(target STREQUAL "slurm")
      string(REPLACE "\ncd -- ${source}\n" "\ncd -- ${source_from_out}\n" out "${out}")
    elseif(target STREQUAL "azureml")
      string(REPLACE "\"code\": \"${source}\"" "\"code\": \"${source_from_out}\"" out "${out}")
    endif()
  endif()
  if(NOT content STREQUAL out)
    fail("${file} differs from what render prints:\n--- file:\n${content}--- render:\n${out}")
  endif()
  file(TIMESTAMP "${out_dir}/${file}" stamp_${file} "%s")
endforeach()

# 2. Again: every file unchanged.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1)
run(generate "${SPEC}" --out "${out_dir}" ${options})
expect_status(0 "second generate")
foreach(file IN LISTS files)
  string(REPLACE "." "\\." file_regex "${file}")
  if(NOT out MATCHES "(^|\n)${file_regex} +[0-9]+  unchanged\n")
    fail("second generate: ${file} is not reported unchanged:\n${out}")
  endif()
  file(TIMESTAMP "${out_dir}/${file}" stamp "%s")
  if(NOT stamp STREQUAL stamp_${file})
    fail("second generate rewrote ${file}")
  endif()
endforeach()

# 3. One file edited: refused, nothing changed.
list(GET files 0 edited)
file(APPEND "${out_dir}/${edited}" "edited\n")
file(READ "${out_dir}/${edited}" edited_content)
run(generate "${SPEC}" --out "${out_dir}" ${options})
expect_status(2 "generate over an edited ${edited}")
if(NOT err MATCHES "1 file differs from what would be written: '[^']*${edited}'; nothing was written")
  fail("the conflict is not reported: ${err}")
endif()
if(NOT out STREQUAL "")
  fail("generate over an edited file printed: ${out}")
endif()
file(READ "${out_dir}/${edited}" content)
if(NOT content STREQUAL edited_content)
  fail("the edited ${edited} was changed")
endif()
entries_of("${out_dir}" entries)
if(NOT "${entries}" STREQUAL "${expected_entries}")
  fail("after the refusal the directory holds '${entries}'")
endif()
foreach(file IN LISTS files)
  file(TIMESTAMP "${out_dir}/${file}" stamp "%s")
  if(NOT file STREQUAL edited AND NOT stamp STREQUAL stamp_${file})
    fail("the refused generate rewrote ${file}")
  endif()
endforeach()

# 4. --force.
run(generate "${SPEC}" --out "${out_dir}" --force ${options})
expect_status(0 "generate --force")
foreach(file IN LISTS files)
  string(REPLACE "." "\\." file_regex "${file}")
  set(expected_status unchanged)
  if(file STREQUAL edited)
    set(expected_status overwritten)
  endif()
  if(NOT out MATCHES "(^|\n)${file_regex} +[0-9]+  ${expected_status}\n")
    fail("generate --force: ${file} is not reported ${expected_status}:\n${out}")
  endif()
endforeach()
file(READ "${out_dir}/${edited}" content)
if(content STREQUAL edited_content)
  fail("--force left the edited ${edited}")
endif()
entries_of("${out_dir}" entries)
if(NOT "${entries}" STREQUAL "${expected_entries}")
  fail("after --force the directory holds '${entries}'")
endif()

# 5. Only a conflicting file: nothing is added next to it.
set(lone_dir "${WORK}/lone")
file(WRITE "${lone_dir}/${edited}" "someone else's\n")
run(generate "${SPEC}" --out "${lone_dir}" ${options})
expect_status(2 "generate next to a conflicting file")
entries_of("${lone_dir}" entries)
if(NOT "${entries}" STREQUAL "${edited}")
  fail("generate next to a conflicting file wrote: '${entries}'")
endif()

# 6. An invalid spec: the directory is not created.
get_filename_component(cli_dir "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
run(generate "${cli_dir}/specs/bad-values.json" --out "${WORK}/invalid")
expect_status(2 "generate of an invalid spec")
if(NOT err MATCHES "is not a valid job: 17 problems")
  fail("generate of an invalid spec: the problems are not reported: ${err}")
endif()
if(EXISTS "${WORK}/invalid")
  fail("generate of an invalid spec created the directory")
endif()

# 7. A rendering error: the existing empty directory stays empty.
file(MAKE_DIRECTORY "${WORK}/render-error")
run(generate "${SPEC}" --out "${WORK}/render-error" ${options} --namespace Not_A_Label)
if(err MATCHES "skipped mpijob.json" AND err MATCHES "skipped tfjob.json")
  # Neither manifest applies (a single-node job): the namespace is unused.
  expect_status(0 "generate --namespace for a job without manifests")
else()
  expect_status(2 "generate with a bad --namespace")
  if(NOT err MATCHES "--namespace = \"Not_A_Label\": must be a DNS-1123 label")
    fail("the bad --namespace is not reported: ${err}")
  endif()
  entries_of("${WORK}/render-error" entries)
  if(NOT "${entries}" STREQUAL "")
    fail("a rendering error wrote: '${entries}'")
  endif()
endif()

report_failures("generate ${SPEC} ${OPTIONS}")
file(REMOVE_RECURSE "${WORK}")
