# trainspec_write_if_changed(<file> <content>): writes a generated file only
# when its content changes, so that a re-configure does not make what reads
# it out of date.
function(trainspec_write_if_changed file content)
  file(WRITE "${file}.tmp" "${content}")
  configure_file("${file}.tmp" "${file}" COPYONLY)
  file(REMOVE "${file}.tmp")
endfunction()
