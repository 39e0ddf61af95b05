"""Run a program that cannot open network connections: `python no_outbound.py PROGRAM ARGS...`.

Used to start Oxigraph's server: it answers `SERVICE <http://...>` (SPARQL federation) by connecting to
any address the query names, and its CLI has no switch to turn that off. A seccomp filter, installed here
and kept across exec, makes connect(2) fail with EPERM for the program and its threads, so the server
still listens, accepts and answers but can reach nothing (SERVICE gets "Operation not permitted";
SERVICE SILENT gives no rows). io_uring, which could connect without the connect syscall, is refused too.
Linux only (x86-64 and arm64); elsewhere it exits with code 126 and says why.

Standard library only, and run as a script: it runs between our process and Oxigraph (then exec()s).
"""
import ctypes
import errno
import os
import platform
import struct
import sys

# From linux/seccomp.h, linux/filter.h, linux/audit.h, asm/unistd.h.
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x45, 0x06
ARCHES = {  # machine: (AUDIT_ARCH_*, connect, io_uring_setup)
    "x86_64": (0xC000003E, 42, 425),
    "aarch64": (0xC00000B7, 203, 425),
}
X32_SYSCALL_BIT = 0x40000000         # x86-64's x32 ABI numbers the same calls differently: refuse them all


def _filter(arch: int, connect: int, io_uring_setup: int) -> bytes:
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    program = [                                   # (code, jump if true, jump if false, k)
        (BPF_LD_W_ABS, 0, 0, 4),                  # seccomp_data.arch
        (BPF_JEQ_K, 1, 0, arch),
        (BPF_RET_K, 0, 0, deny),                  # another ABI (e.g. i386 on x86-64): nothing at all
        (BPF_LD_W_ABS, 0, 0, 0),                  # seccomp_data.nr
        (BPF_JSET_K, 3, 0, X32_SYSCALL_BIT),
        (BPF_JEQ_K, 2, 0, connect),
        (BPF_JEQ_K, 1, 0, io_uring_setup),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (BPF_RET_K, 0, 0, deny),
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def forbid_connections() -> None:
    """Install the filter on this process (kept by exec and by every thread it starts)."""
    if not sys.platform.startswith("linux") or platform.machine() not in ARCHES:
        raise OSError(f"no seccomp filter for {sys.platform}/{platform.machine()}")
    code = _filter(*ARCHES[platform.machine()])
    program = ctypes.create_string_buffer(code)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(code) // 8, ctypes.addressof(program))
    prctl = ctypes.CDLL(None, use_errno=True).prctl         # libc, already loaded by Python
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0 or \
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"seccomp filter refused: {os.strerror(ctypes.get_errno())}")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: no_outbound.py PROGRAM [ARGS...]", file=sys.stderr)
        return 2
    try:
        forbid_connections()
    except OSError as error:
        print(f"cannot forbid outbound connections here ({error}); --allow-federation serves without "
              "this guard", file=sys.stderr)
        return 126
    os.execv(argv[0], argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
