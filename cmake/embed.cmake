# cmake -DIN=file -DOUT=file.c -DSYM=name -P embed.cmake
# Writes a C file defining `const char SYM[]` (NUL-terminated) and
# `const unsigned long SYM_len` with the bytes of IN, so the dialect text is
# part of the library and never read from the source tree at run time.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp" "/* Generated from ${IN} by cmake/embed.cmake. Do not edit. */\n"
  "const char ${SYM}[] = {\n${bytes}0x00};\n"
  "const unsigned long ${SYM}_len = ${len};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
