"""A tiny seccomp filter for the grading sandbox: no new processes.

Student code may start threads (IPython needs them) but not processes, so a
fork bomb ends at its first ``fork``. The filter is classic BPF, written out
by hand because the standard library has no seccomp bindings; bubblewrap
loads it (``bwrap --seccomp FD``) just before it starts the kernel.

Rules, for the machine's native architecture only (every other architecture
and the x32 ABI are refused, so ``int 0x80`` cannot get around them):

- ``fork``, ``vfork``: refused with EPERM;
- ``clone`` without ``CLONE_THREAD``: refused with EPERM (threads pass);
- ``clone3``: refused with ENOSYS, so the C library falls back to ``clone``.
"""

from __future__ import annotations

import errno
import platform
import struct

# BPF instruction classes and modes (linux/filter.h, linux/bpf_common.h).
_LD_W_ABS = 0x00 | 0x00 | 0x20   # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x05 | 0x10 | 0x00      # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x05 | 0x30 | 0x00      # BPF_JMP | BPF_JGE | BPF_K
_JSET_K = 0x05 | 0x40 | 0x00     # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06 | 0x00             # BPF_RET | BPF_K

_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_CLONE_THREAD = 0x00010000
_X32_SYSCALL_BIT = 0x40000000

# offsets in struct seccomp_data
_NR = 0
_ARCH = 4
_ARG0_LOW = 16  # little-endian: the low 32 bits of args[0]

# audit architecture and syscall numbers per machine
_ARCHES = {
    "x86_64": {"audit": 0xC000003E, "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "x32": True},
    "aarch64": {"audit": 0xC00000B7, "fork": None, "vfork": None, "clone": 220, "clone3": 435, "x32": False},
}


class SeccompUnsupported(RuntimeError):
    """The sandbox has no process filter for this machine's architecture."""


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def no_new_processes_filter(machine: str | None = None) -> bytes:
    """Return the compiled filter for ``machine`` (default: this machine)."""
    machine = machine or platform.machine()
    try:
        arch = _ARCHES[machine]
    except KeyError:
        raise SeccompUnsupported(
            f"the grading sandbox supports x86_64 and aarch64, not {machine!r}") from None
    eperm = _RET_ERRNO | errno.EPERM
    enosys = _RET_ERRNO | errno.ENOSYS

    # Build the program back to front is error-prone; instead lay it out with
    # symbolic targets and resolve the relative jumps at the end.
    program: list[tuple] = [
        ("ld", _ARCH),
        ("jeq", arch["audit"], None, "deny"),          # foreign architecture: refuse everything
        ("ld", _NR),
    ]
    if arch["x32"]:
        program.append(("jge", _X32_SYSCALL_BIT, "deny", None))
    for name in ("fork", "vfork"):
        if arch[name] is not None:
            program.append(("jeq", arch[name], "deny", None))
    program += [
        ("jeq", arch["clone3"], "nosys", None),
        ("jeq", arch["clone"], None, "allow"),
        ("ld", _ARG0_LOW),
        ("jset", _CLONE_THREAD, "allow", "deny"),
        ("label", "allow"), ("ret", _RET_ALLOW),
        ("label", "deny"), ("ret", eperm),
        ("label", "nosys"), ("ret", enosys),
    ]

    labels: dict[str, int] = {}
    position = 0
    for step in program:
        if step[0] == "label":
            labels[step[1]] = position
        else:
            position += 1

    def offset(target: str | None, here: int) -> int:
        if target is None:
            return 0
        jump = labels[target] - here - 1
        if not 0 <= jump <= 255:
            raise AssertionError("seccomp jump out of range")
        return jump

    code = b""
    index = 0
    for step in program:
        kind = step[0]
        if kind == "label":
            continue
        if kind == "ld":
            code += _insn(_LD_W_ABS, 0, 0, step[1])
        elif kind == "ret":
            code += _insn(_RET_K, 0, 0, step[1])
        else:
            opcode = {"jeq": _JEQ_K, "jge": _JGE_K, "jset": _JSET_K}[kind]
            code += _insn(opcode, offset(step[2], index), offset(step[3], index), step[1])
        index += 1
    return code
