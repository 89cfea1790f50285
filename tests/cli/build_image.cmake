# The image a job runs, built as generate writes it: for each spec,
# `generate --out DIR`, then DIR/build-image.sh run from elsewhere with the
# stand-in docker (tests/launch/standins/docker) first on PATH, which checks
# that the build context is complete and that the image's tag is the content
# tag of its Dockerfile and the files it copies. Every launcher the job has
# (TFJob, MPIJob, docker run, Slurm) must name that image. A user_managed job
# and a single-node job that installs nothing get no build step, and their
# launchers name the image as it is.
#
#   cmake -DPROGRAM=<trainspec-gen> -DDOCKER=<stand-in> -DSPECS=<spec|spec...> -DWORK=<scratch dir>
#         -P build_image.cmake

cmake_minimum_required(VERSION 3.16)

if(NOT PROGRAM OR NOT DOCKER OR NOT SPECS OR NOT WORK)
  message(FATAL_ERROR "build_image.cmake: set PROGRAM, DOCKER, SPECS and WORK")
endif()
string(REPLACE "|" ";" specs "${SPECS}")

include(${CMAKE_CURRENT_LIST_DIR}/script_failures.cmake)

# Every launcher generate wrote into OUT names IMAGE: the Slurm script
# (every job has one) and the manifests or docker run line the job has.
function(check_launchers name out image)
  if(NOT EXISTS "${out}/slurm.sbatch")
    fail("${name}: generate wrote no slurm.sbatch")
  endif()
  set(checked 0)
  foreach(file tfjob.json mpijob.json docker-run.sh slurm.sbatch)
    if(EXISTS "${out}/${file}")
      math(EXPR checked "${checked} + 1")
      file(READ "${out}/${file}" text)
      string(FIND "${text}" "${image}" at)
      if(at EQUAL -1)
        fail("${name}: ${file} does not run ${image}")
      endif()
    endif()
  endforeach()
  if(checked LESS 2)
    fail("${name}: only ${checked} launcher(s) written; a job has the Slurm script and a manifest or docker run")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/sandbox/bin" "${WORK}/elsewhere")
file(COPY "${DOCKER}" DESTINATION "${WORK}/sandbox/bin"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Jobs beyond the seeds: a conda job on a custom image, a job with its own
# requirements file, a pushed image.
file(MAKE_DIRECTORY "${WORK}/src")
file(WRITE "${WORK}/src/requirements.txt" "numpy==1.26.4\n")
file(WRITE "${WORK}/conda-custom.json" [=[{"name": "conda-custom", "source_directory": "src",
 "entry_script": "train.py", "compute_target": "c", "custom_docker_image": "continuumio/miniconda3:24.1.2-0",
 "conda_packages": ["scipy"], "distributed_backend": "ps", "node_count": 2, "worker_count": 2,
 "parameter_server_count": 1}]=])
file(WRITE "${WORK}/own-file.json" [=[{"name": "own-file", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "pip_requirements_file": "requirements.txt", "distributed_backend": "mpi",
 "node_count": 2, "framework_version": "2.15"}]=])
file(WRITE "${WORK}/pushed.json" [=[{"name": "pushed", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "pip_packages": ["pandas"], "image_registry": "registry.example.com:5000/team/pushed"}]=])
list(APPEND specs "${WORK}/conda-custom.json" "${WORK}/own-file.json" "${WORK}/pushed.json")

foreach(spec IN LISTS specs)
  get_filename_component(name "${spec}" NAME_WE)
  set(out "${WORK}/out/${name}")
  # The spec's source directory, relative to where generate runs.
  file(READ "${spec}" spec_text)
  string(JSON source GET "${spec_text}" source_directory)
  file(MAKE_DIRECTORY "${WORK}/${source}")
  execute_process(COMMAND "${PROGRAM}" generate "${spec}" --out "${out}" WORKING_DIRECTORY "${WORK}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT status EQUAL 0)
    fail("${name}: generate exits ${status}: ${stderr}")
    continue()
  endif()
  if(NOT EXISTS "${out}/build-image.sh")
    fail("${name}: no build-image.sh")
    continue()
  endif()
  file(REMOVE "${WORK}/sandbox/docker.log")
  execute_process(COMMAND env "PATH=${WORK}/sandbox/bin:$ENV{PATH}" /bin/sh "${out}/build-image.sh"
                  WORKING_DIRECTORY "${WORK}/elsewhere" RESULT_VARIABLE status OUTPUT_VARIABLE stdout
                  ERROR_VARIABLE stderr)
  if(NOT status EQUAL 0)
    fail("${name}: build-image.sh exits ${status}: ${stderr}")
    continue()
  endif()
  file(STRINGS "${WORK}/sandbox/docker.log" calls)
  list(GET calls 0 first)
  if(NOT first MATCHES "^build (.+)$")
    fail("${name}: the stand-in docker was called ${calls}")
    continue()
  endif()
  set(image "${CMAKE_MATCH_1}")
  if(name STREQUAL "pushed")
    if(NOT calls STREQUAL "build ${image};push ${image}" OR NOT image MATCHES "^registry\\.example\\.com:5000/team/pushed:")
      fail("${name}: expected a build and a push to its registry, got ${calls}")
    endif()
  elseif(NOT calls STREQUAL "build ${image}" OR NOT image MATCHES "^trainspec/")
    fail("${name}: expected one build of a local image, got ${calls}")
  endif()
  check_launchers("${name}" "${out}" "${image}")
  message(STATUS "${name}: built ${image}")
endforeach()

# Jobs whose image is not built: no Dockerfile, no build step, and every
# launcher names the image they run as it is.
file(WRITE "${WORK}/managed.json" [=[{"name": "managed", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "custom_docker_image": "registry.example.com/team/tf-hvd:7", "user_managed": true,
 "distributed_backend": "ps", "node_count": 2, "worker_count": 2, "parameter_server_count": 1}]=])
file(WRITE "${WORK}/stock.json" [=[{"name": "stock", "source_directory": "src", "entry_script": "train.py",
 "compute_target": "c", "framework_version": "2.15", "use_gpu": true}]=])
foreach(case "managed=registry.example.com/team/tf-hvd:7" "stock=tensorflow/tensorflow:2.15.0-gpu")
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${case}")
  set(name "${CMAKE_MATCH_1}")
  set(image "${CMAKE_MATCH_2}")
  set(out "${WORK}/out/${name}")
  execute_process(COMMAND "${PROGRAM}" generate "${name}.json" --out "${out}" WORKING_DIRECTORY "${WORK}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT status EQUAL 0)
    fail("${name}: generate exits ${status}: ${stderr}")
    continue()
  endif()
  foreach(file Dockerfile build-image.sh)
    if(EXISTS "${out}/${file}")
      fail("${name}: its image is not built, yet generate wrote ${file}")
    endif()
  endforeach()
  check_launchers("${name}" "${out}" "${image}")
endforeach()

report_failures("build-image.sh")
