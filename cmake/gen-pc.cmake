# Writes a pkg-config file whose prefix is found relative to the file itself
# (${pcfiledir}), so an installed tree can be moved, and which is right for
# any libdir depth (Debian's lib/x86_64-linux-gnu as well as lib).
# Script mode: cmake -DIN=... -DOUT=... -DLIBDIR=... -DINCLUDEDIR=... -DVERSION=... -P gen-pc.cmake
file(RELATIVE_PATH AX_PC_UP "/${LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" AX_PC_UP "${AX_PC_UP}")
set(AX_PC_LIBDIR "${LIBDIR}")
set(AX_PC_INCLUDEDIR "${INCLUDEDIR}")
set(AX_PC_VERSION "${VERSION}")
configure_file(${IN} ${OUT} @ONLY)
