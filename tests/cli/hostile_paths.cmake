# Hostile paths and files (docs/security.md, "Paths, files and output
# directories"): a source directory outside the project, files that are not
# what they claim to be, and an output directory others have planted files in.
# Each refusal exits 2 and names the file and the reason, never its content.
#
#   cmake -DPROGRAM=<trainspec-gen> -DWORK=<scratch dir> -P hostile_paths.cmake

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT WORK)
  message(FATAL_ERROR "hostile_paths.cmake: set PROGRAM and WORK")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/script_failures.cmake)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/project/src")
set(project "${WORK}/project")
file(WRITE "${project}/src/train.py" "print('train')\n")

macro(run)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${project}" RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
endmacro()

# `expected` in stderr, exit 2.
function(refused what expected)
  run(${ARGN})
  if(NOT status EQUAL 2)
    fail("${what}: exit ${status}, expected 2\n    ${err}")
  endif()
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    fail("${what}: stderr lacks '${expected}':\n    ${err}")
  endif()
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(spec_with source file)
  file(WRITE "${project}/${file}"
       "{\"name\": \"hostile\", \"source_directory\": \"${source}\", \"entry_script\": \"train.py\", "
       "\"compute_target\": \"c\", \"use_gpu\": false}")
endfunction()

# 1. source_directory: relative, no '..' (validate), and inside the
#    working directory once links are resolved (render, generate).
foreach(source IN ITEMS "/" "/var/run")
  spec_with("${source}" job.json)
  refused("source_directory ${source}" "job.json: source_directory = \"${source}\": must be relative to the project"
          validate job.json)
endforeach()
foreach(source IN ITEMS "../../.." "a/../../b")
  spec_with("${source}" job.json)
  refused("source_directory ${source}" "job.json: source_directory = \"${source}\": must stay inside the project"
          render job.json --target azureml)
endforeach()
file(CREATE_LINK "/" "${project}/root" SYMBOLIC)
spec_with("root" job.json)
refused("source_directory: a link to /" "source_directory 'root': leads to '/', outside the project"
        render job.json --target docker)
refused("source_directory: a link to / (generate)" "source_directory 'root': leads to '/', outside the project"
        generate job.json --out out)
if(EXISTS "${project}/out")
  fail("generate wrote a directory for a job whose source is /")
endif()
spec_with("src" job.json)
foreach(source IN ITEMS "/" "../.." "root" "root/etc")
  refused("--source-path ${source}" "--source-path '${source}': leads to '"
          render job.json --target docker --source-path ${source})
endforeach()
run(render job.json --target docker --source-path src)
if(NOT status EQUAL 0 OR NOT out MATCHES " -v \"\\$PWD\"/src:/workspace:ro ")
  fail("--source-path src: exit ${status}, not mounted read-only:\n    ${out}${err}")
endif()

# 2. Files read: only regular files, bounded; an error shows no content.
set(hosts_spec "${project}/hosts.json")
file(WRITE "${hosts_spec}" [=[{"name": "h", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "distributed_backend": "mpi", "node_count": 2, "use_gpu": false}]=])
refused("spec /dev/zero" "cannot read spec '/dev/zero': is a device, not a regular file" validate /dev/zero)
refused("--hosts /dev/zero" "cannot read hostfile '/dev/zero': is a device, not a regular file"
        plan hosts.json --hosts /dev/zero)
refused("--hosts a directory" "cannot read hostfile 'src': is a directory, not a regular file"
        plan hosts.json --hosts src)
execute_process(COMMAND mkfifo "${project}/fifo" RESULT_VARIABLE mkfifo_status)
if(NOT mkfifo_status EQUAL 0)
  fail("mkfifo failed")
endif()
refused("--hosts a FIFO (never blocks)" "cannot read hostfile 'fifo': is a FIFO, not a regular file"
        plan hosts.json --hosts fifo)
refused("a spec FIFO (never blocks)" "cannot read spec 'fifo': is a FIFO, not a regular file" validate fifo)
execute_process(COMMAND truncate -s 67108865 "${project}/big" RESULT_VARIABLE truncate_status)
if(NOT truncate_status EQUAL 0)
  fail("truncate failed")
endif()
refused("--hosts over 64 MiB" "cannot read hostfile 'big': has more than 67108864 bytes, the limit of a hostfile"
        plan hosts.json --hosts @big)
refused("a spec over 4 MiB" "cannot read spec 'big': has more than 4194304 bytes, the limit of a spec" validate big)
file(WRITE "${project}/secret" "root:$6$salt$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
refused("--hosts a shadow file" "hostfile 'secret': invalid host \"line 1: root:...\": expected host:slots with a single ':'\n"
        plan hosts.json --hosts secret)
if(err MATCHES "SECRET|salt|daemon")
  fail("--hosts a shadow file: stderr shows the file's content:\n    ${err}")
endif()
if(EXISTS /etc/shadow)
  run(plan hosts.json --hosts /etc/shadow)
  file(STRINGS /etc/shadow shadow_lines LIMIT_COUNT 1)
  string(REGEX REPLACE "^[^:]*:" "" shadow_rest "${shadow_lines}")
  if(NOT status EQUAL 2)
    fail("--hosts /etc/shadow: exit ${status}, expected 2")
  elseif(NOT shadow_rest STREQUAL "")
    string(FIND "${err}" "${shadow_rest}" at)
    if(NOT at EQUAL -1)
      fail("--hosts /etc/shadow: stderr shows the file's content")
    endif()
  endif()
endif()

# 3. generate into a directory with planted files: a file with the same
#    content that is world-writable or owned by another user, or a link by
#    the same name, is replaced (reported written, never unchanged).
run(generate job.json --out out)
if(NOT status EQUAL 0)
  fail("generate: exit ${status}\n    ${err}")
endif()
set(planted "${project}/out/azureml-job.json")
set(kept "${project}/out/plan.json")
file(READ "${planted}" azureml_content)
execute_process(COMMAND chmod 666 "${planted}")
execute_process(COMMAND chown nobody "${kept}" RESULT_VARIABLE chown_status)
if(NOT chown_status EQUAL 0)
  fail("chown nobody failed (the test runs as root)")
endif()
file(WRITE "${WORK}/target.txt" "${azureml_content}")
file(REMOVE "${project}/out/slurm.sbatch")
file(CREATE_LINK "${WORK}/target.txt" "${project}/out/slurm.sbatch" SYMBOLIC)
run(generate job.json --out out)
if(NOT status EQUAL 0)
  fail("generate over planted files: exit ${status}\n    ${err}")
endif()
foreach(name IN ITEMS azureml-job.json plan.json slurm.sbatch)
  string(REPLACE "." "\\." name_regex "${name}")
  if(NOT out MATCHES "(^|\n)${name_regex} +[0-9]+  written\n")
    fail("a planted ${name} is not reported written:\n${out}")
  endif()
endforeach()
# The mode a new file gets: 0666 less the umask.
execute_process(COMMAND sh -c "printf '%o' $((0666 & ~0$(umask)))" OUTPUT_VARIABLE new_mode)
execute_process(COMMAND stat -c "%a %U" "${planted}" "${kept}" OUTPUT_VARIABLE modes)
if(NOT modes STREQUAL "${new_mode} root\n${new_mode} root\n")
  fail("planted files keep their mode or owner: ${modes}")
endif()
if(IS_SYMLINK "${project}/out/slurm.sbatch")
  fail("the planted link slurm.sbatch was not replaced")
endif()
file(READ "${WORK}/target.txt" target_after)
if(NOT target_after STREQUAL azureml_content)
  fail("the planted link was followed: its target changed")
endif()
run(generate job.json --out out)
if(NOT out MATCHES "(^|\n)plan\\.json +[0-9]+  unchanged\n")
  fail("a file of the user's own is not left unchanged:\n${out}")
endif()

# 4. A directory everyone may write to needs the sticky bit.
file(MAKE_DIRECTORY "${project}/shared")
execute_process(COMMAND chmod 777 "${project}/shared")
refused("--out a world-writable directory" "--out 'shared': writable by everyone without the sticky bit"
        generate job.json --out shared)
execute_process(COMMAND chmod 1777 "${project}/shared")
run(generate job.json --out shared)
if(NOT status EQUAL 0)
  fail("--out a sticky world-writable directory: exit ${status}\n    ${err}")
endif()

report_failures("hostile paths")
