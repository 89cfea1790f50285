# The failure list of the CLI's script tests (cmake -P): each check calls
# fail(TEXT), from any function, and the script ends with
# report_failures(TITLE), so that one run shows every failed check. The
# list is a global property: a variable set with PARENT_SCOPE would be lost
# when fail() is called from a helper function.

function(fail text)
  set_property(GLOBAL APPEND_STRING PROPERTY trainspec_script_failures "  - ${text}\n")
endfunction()

function(report_failures title)
  get_property(failures GLOBAL PROPERTY trainspec_script_failures)
  if(failures)
    message(FATAL_ERROR "${title}:\n${failures}")
  endif()
endfunction()
