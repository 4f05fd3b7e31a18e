#include "axon/status.h"

const char *ax_strerror(int status)
{
    switch (status) {
    case AX_OK:
        return "success";
    case AX_E_INVAL:
        return "invalid argument";
    case AX_E_NOMEM:
        return "out of memory";
    case AX_E_IO:
        return "input/output error";
    case AX_E_TIMEOUT:
        return "timed out";
    case AX_E_NODEV:
        return "no such device";
    case AX_E_BUSY:
        return "resource busy";
    case AX_E_CRC:
        return "checksum mismatch";
    case AX_E_PROTO:
        return "protocol violation";
    case AX_E_VERSION:
        return "incompatible version";
    case AX_E_RANGE:
        return "value out of range";
    case AX_E_OVERFLOW:
        return "buffer overflow, data lost";
    case AX_E_UNSUPPORTED:
        return "not supported";
    case AX_E_TRUNC:
        return "input truncated";
    case AX_E_FORMAT:
        return "malformed input";
    case AX_E_NOTFOUND:
        return "not found";
    case AX_E_LINK:
        return "link failed and could not recover";
    case AX_E_STATE:
        return "not valid in the current state";
    case AX_E_REMOTE:
        return "the board reported an error";
    case AX_E_DISCONNECTED:
        return "device disconnected";
    default:
        return "unknown error";
    }
}
