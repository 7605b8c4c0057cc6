#!/usr/bin/python3
"""Runs a command under a seccomp filter built like systemd's for the unit's lines
SystemCallFilter=<sets>, SystemCallErrorNumber=EPERM, SystemCallArchitectures=native and
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX, for machines where systemd cannot start
the service. The sets are expanded by systemd-analyze itself, so the list is systemd's own.

usage: seccomp-exec.py @system-service -- command [args...]
"""
import errno
import os
import socket
import subprocess
import sys

import seccomp


def expand(name, seen):
    """The calls of a set, its nested sets expanded, as `systemd-analyze syscall-filter` lists them."""
    if name in seen:
        return set()
    seen.add(name)
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True, capture_output=True,
                         text=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if word.startswith("@"):
            calls |= expand(word, seen)
        else:
            calls.add(word)
    return calls


def main():
    split = sys.argv.index("--")
    sets, command = sys.argv[1:split], sys.argv[split + 1:]
    allowed = set()
    for name in sets:
        allowed |= expand(name, set())
    # calls systemd lets through whatever the filter (it needs them to exec the service)
    allowed |= {"execve", "exit", "exit_group", "rt_sigreturn", "getrlimit", "getpid"}
    flt = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for call in sorted(allowed - {"socket"}):
        try:
            flt.add_rule(seccomp.ALLOW, call)
        except (RuntimeError, ValueError, OSError):
            pass  # a name this kernel/architecture does not have
    for family in (socket.AF_UNIX, socket.AF_INET, socket.AF_INET6):
        flt.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, family))
    for family in range(0, 46):
        if family not in (socket.AF_UNIX, socket.AF_INET, socket.AF_INET6):
            flt.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
    # no_new_privs is set by libseccomp before loading (NoNewPrivileges=yes)
    flt.load()
    print("seccomp-exec: %d calls allowed (%s), others EPERM; sockets: AF_UNIX AF_INET AF_INET6"
          % (len(allowed), " ".join(sets)), file=sys.stderr, flush=True)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
