# Writes OUTPUT, a C file defining parley_web_assets[] (src/web/web_internal.h):
# one entry {"/name", bytes, size, content type} per file of INPUT_DIR (not
# recursive), ending with a NULL path.  The page is served from these
# arrays, so an installed parley needs no files beside it.
file(GLOB files LIST_DIRECTORIES false RELATIVE ${INPUT_DIR} ${INPUT_DIR}/*)
list(SORT files)
set(arrays "")
set(table "")
set(index 0)
foreach(name ${files})
  if(name MATCHES "^[.]")
    continue()
  endif()
  file(READ ${INPUT_DIR}/${name} hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  set(type "application/octet-stream")
  if(name MATCHES "[.]html$")
    set(type "text/html; charset=utf-8")
  elseif(name MATCHES "[.]js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "[.]css$")
    set(type "text/css; charset=utf-8")
  elseif(name MATCHES "[.]svg$")
    set(type "image/svg+xml")
  elseif(name MATCHES "[.]png$")
    set(type "image/png")
  endif()
  string(APPEND arrays "static const unsigned char asset_${index}[] = {\n${bytes}0x00};\n")
  string(APPEND table "    {\"/${name}\", asset_${index}, ${size}, \"${type}\"},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "/* Generated from ${INPUT_DIR} by cmake/embed_dir.cmake; do not edit. */
#include \"web/web_internal.h\"

${arrays}
const web_asset parley_web_assets[] = {
${table}    {NULL, NULL, 0, NULL},
};
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
