"""Run a program that cannot open network connections: `python no_outbound.py PROGRAM ARGS...`.

Used to start Oxigraph's server: it answers `SERVICE <http://...>` (SPARQL federation) by connecting to
any address the query names, and its CLI has no switch to turn that off. A seccomp filter, installed here
through libseccomp (pyseccomp) and kept across exec, makes connect(2) fail with EPERM for the program and
its threads, so the server still listens, accepts and answers but can reach nothing (SERVICE gets
"Operation not permitted"; SERVICE SILENT gives no rows). io_uring, which could connect without the
connect syscall, is refused too, and so is every call of another ABI (i386 or x32 on x86-64), which the
filter's syscall numbers would not match. Where it cannot be installed (not Linux, no libseccomp), it
exits with code 126 and says why.

Run as a script between our process and Oxigraph (it then exec()s): it imports nothing of ours.
"""
import errno
import os
import sys

try:
    import pyseccomp
except (ImportError, RuntimeError) as error:      # pyseccomp raises RuntimeError when libseccomp is missing
    pyseccomp, UNAVAILABLE = None, f"pyseccomp: {error}"

REFUSED = ("connect", "io_uring_setup")


def forbid_connections() -> None:
    """Install the filter on this process (kept by exec and by every thread it starts)."""
    if pyseccomp is None:
        raise OSError(UNAVAILABLE)
    deny = pyseccomp.ERRNO(errno.EPERM)
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    rules.set_attr(pyseccomp.Attr.ACT_BADARCH, deny)
    for name in REFUSED:
        rules.add_rule(deny, name)
    rules.load()                                  # sets no_new_privs first, as seccomp requires


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
