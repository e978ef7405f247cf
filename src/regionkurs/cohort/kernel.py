"""One IPython kernel in the grading sandbox, driven from outside.

:class:`SandboxedKernel` starts the kernel with bubblewrap (see
:mod:`.sandbox`), talks to it over unix sockets and runs code with a
wall-clock timeout and a cap on the output it accepts. Every way a kernel can
fail to finish is its own exception, so a report can name the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from nbformat import NotebookNode
from nbformat.v4 import output_from_msg

from . import sandbox
from .seccomp import no_new_processes_filter

_PORTS = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}
_STDERR_KEEP = 8192


class KernelFailure(Exception):
    """The kernel could not finish; ``reason`` is one line for the report."""

    reason = "the notebook's kernel failed"

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.reason)
        self.detail = detail


class KernelStartFailed(KernelFailure):
    reason = "the sandboxed kernel did not start"


class KernelDied(KernelFailure):
    reason = "the notebook's kernel died"


class CellTimeout(KernelFailure):
    reason = "timeout"


class OutputLimitExceeded(KernelFailure):
    reason = "output limit exceeded"


class FileLimitExceeded(KernelFailure):
    reason = "file limit exceeded"


@dataclass
class Execution:
    """What running one piece of code gave."""

    outputs: list[NotebookNode] = field(default_factory=list)
    execution_count: int | None = None
    error_name: str | None = None

    def stdout(self) -> str:
        return "".join(o.get("text", "") for o in self.outputs
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")


OUTPUT_OVERHEAD = 100  # bytes each output costs in the notebook, even an empty one


def _output_size(content: dict) -> int:
    """What an output adds to the stored notebook: everything in it (text, data, metadata), plus a
    fixed cost, so that neither metadata nor many empty outputs escape the limit."""
    try:
        return len(json.dumps(content, default=str)) + OUTPUT_OVERHEAD
    except (ValueError, RecursionError):
        return 1 << 40  # not storable: over any limit


class SandboxedKernel:
    """A kernel in its own sandbox; use ``async with`` or call start/stop."""

    def __init__(self, *, source_dir: Path, assignment: str, limits: sandbox.Limits,
                 python: str, binds: tuple[str, ...], scratch: Path, sandboxed: bool = True):
        self.source_dir = source_dir
        self.assignment = assignment
        self.limits = limits
        self.python = python
        self.binds = binds
        self.scratch = scratch
        self.sandboxed = sandboxed
        self.output_bytes = 0
        self.output_count = 0
        self._process: subprocess.Popen | None = None
        self._client: AsyncKernelClient | None = None
        self._folder: Path | None = None
        self._stderr_tail = b""
        self._stderr_task: asyncio.Task | None = None
        self._pid: int | None = None
        self._files_checked = 0.0

    async def __aenter__(self) -> SandboxedKernel:
        return await self.open()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # -- life cycle -------------------------------------------------------

    async def open(self) -> SandboxedKernel:
        """Start the kernel; one that fails to start leaves no process or folder behind."""
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def start(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="kernel-", dir=self.scratch))
        key = secrets.token_hex(32)
        socket_base = sandbox.SOCKET_BASE if self.sandboxed else str(self._folder / "k")
        info = {**_PORTS, "ip": socket_base, "transport": "ipc", "key": key,
                "signature_scheme": "hmac-sha256", "kernel_name": "regionkurs-sandbox"}
        connection_file = self._folder / "connection.json"
        connection_file.write_text(json.dumps(info), encoding="utf-8")
        connection_file.chmod(0o600)
        if not self.sandboxed:
            await self._start_unsandboxed(info)
            return

        seccomp_read, seccomp_write = os.pipe()
        info_read, info_write = os.pipe()
        try:
            os.write(seccomp_write, no_new_processes_filter())
            os.close(seccomp_write)
            cmd = sandbox.command(python=self.python, binds=self.binds, source_dir=self.source_dir,
                                  connection_file=connection_file, assignment=self.assignment,
                                  limits=self.limits, seccomp_fd=seccomp_read, info_fd=info_write)
            self._process = subprocess.Popen(
                cmd, pass_fds=(seccomp_read, info_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        finally:
            os.close(seccomp_read)
            os.close(info_write)
        self._stderr_task = asyncio.create_task(self._read_stderr())
        try:
            pid = await self._child_pid(info_read)
        finally:
            os.close(info_read)

        self._pid = pid
        host_info = {**info, "ip": f"/proc/{pid}/root{sandbox.SOCKET_BASE}"}
        self._client = AsyncKernelClient()
        self._client.load_connection_info(host_info)
        self._client.start_channels(stdin=False, hb=False)
        await self._wait_ready()

    async def _start_unsandboxed(self, info: dict) -> None:
        assert self._folder
        cmd = sandbox.unsandboxed_command(python=self.python, source_dir=self.source_dir, folder=self._folder,
                                          assignment=self.assignment, limits=self.limits)
        self._process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, start_new_session=True, cwd=self._folder)
        self._stderr_task = asyncio.create_task(self._read_stderr())
        self._client = AsyncKernelClient()
        self._client.load_connection_info(info)
        self._client.start_channels(stdin=False, hb=False)
        await self._wait_ready()

    async def _read_stderr(self) -> None:
        assert self._process and self._process.stderr
        loop = asyncio.get_running_loop()
        stream = self._process.stderr
        while True:
            chunk = await loop.run_in_executor(None, stream.read1, 65536)
            if not chunk:
                return
            self._stderr_tail = (self._stderr_tail + chunk)[-_STDERR_KEEP:]

    async def _child_pid(self, fd: int) -> int:
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.limits.start_timeout
        data = b""
        while True:
            chunk = await loop.run_in_executor(None, os.read, fd, 4096)
            data += chunk
            with contextlib.suppress(ValueError):
                return int(json.loads(data)["child-pid"])
            if not chunk or time.monotonic() > deadline:
                await self._reap()
                raise KernelStartFailed(f"bubblewrap did not start the sandbox: {self.stderr_tail()}")

    async def _wait_ready(self) -> None:
        assert self._client
        deadline = time.monotonic() + self.limits.start_timeout
        while True:
            self._client.kernel_info()
            resend = time.monotonic() + 2.0
            while time.monotonic() < resend:
                self._check_alive(KernelStartFailed)
                if time.monotonic() > deadline:
                    raise KernelStartFailed(f"no answer within {self.limits.start_timeout:.0f} s")
                try:
                    msg = await self._client.get_shell_msg(timeout=0.05)
                except Empty:
                    continue
                if msg["msg_type"] != "kernel_info_reply":
                    continue
                try:  # IOPub connected too? (the reply's status messages arrive there)
                    await self._client.get_iopub_msg(timeout=0.5)
                except Empty:
                    break  # ask again
                while True:  # drop the rest of the start-up chatter
                    try:
                        await self._client.get_iopub_msg(timeout=0.01)
                    except Empty:
                        return

    def _check_alive(self, error: type[KernelFailure] = KernelDied) -> None:
        if self._process is None or self._process.poll() is not None:
            code = None if self._process is None else self._process.returncode
            detail = f"exit status {code}"
            if code is not None and code > 128 and code - 128 == signal.SIGXCPU:
                detail = f"CPU time limit of {self.limits.cpu_seconds} s reached"
            elif code is not None and code > 128 and code - 128 == signal.SIGXFSZ:
                detail = f"file size limit of {self.limits.file_mb} MB reached"
            tail = self.stderr_tail()
            if "MemoryError" in tail:
                detail += f" (memory limit of {self.limits.memory_mb} MB)"
            raise error(detail)

    def count_stored(self, size: int) -> None:
        """Count ``size`` bytes against the limit on what the graded notebook stores."""
        self.output_bytes += size
        if self.output_bytes > self.limits.output_mb * 1024 * 1024:
            raise OutputLimitExceeded(f"the notebook's outputs and attachments (with their metadata) are larger "
                                      f"than {self.limits.output_mb:g} MB")

    def _check_files(self) -> None:
        """Count the files in the sandbox's writable places (tmpfs has a size limit but no count)."""
        now = time.monotonic()
        if self._pid is None or now - self._files_checked < 0.2:
            return
        self._files_checked = now
        for place in sandbox.WRITABLE:
            try:
                found = os.statvfs(f"/proc/{self._pid}/root{place}")
            except OSError:
                continue
            used = found.f_files - found.f_ffree
            if used > self.limits.max_files:
                raise FileLimitExceeded(f"the notebook made more than {self.limits.max_files} files and "
                                        f"folders in {place}")

    def stderr_tail(self) -> str:
        return self._stderr_tail.decode("utf-8", "replace").strip()[-2000:]

    async def stop(self) -> None:
        """Kill the sandbox at once (no graceful shutdown: nothing in it is worth waiting for)."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.stop_channels()
            self._client = None
        await self._reap()
        if self._stderr_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._stderr_task, timeout=5)
            self._stderr_task = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    async def _reap(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(subprocess.TimeoutExpired):
            await loop.run_in_executor(None, process.wait, 10)

    # -- running code -----------------------------------------------------

    async def execute(self, code: str, *, timeout: float | None = None, count_output: bool = True,
                      store_history: bool = True) -> Execution:
        """Run ``code``; return its outputs. Raise a :class:`KernelFailure` if it cannot finish."""
        assert self._client
        timeout = self.limits.cell_timeout if timeout is None else timeout
        msg_id = self._client.execute(code, silent=False, store_history=store_history,
                                      allow_stdin=False, stop_on_error=False)
        result = Execution()
        deadline = time.monotonic() + timeout
        clear_pending = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CellTimeout(f"a cell ran longer than {timeout:g} s")
            self._check_files()
            try:
                msg = await self._client.get_iopub_msg(timeout=min(remaining, 0.25))
            except Empty:
                self._check_alive()
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                return result
            if kind == "execute_input":
                result.execution_count = content.get("execution_count")
                continue
            if kind == "clear_output":
                if content.get("wait"):
                    clear_pending = True
                else:
                    result.outputs.clear()
                continue
            if kind not in ("stream", "display_data", "execute_result", "error"):
                continue
            if count_output:
                self.count_stored(_output_size(content))
                self.output_count += 1
                if self.output_count > self.limits.max_outputs:
                    raise OutputLimitExceeded(f"the notebook made more than {self.limits.max_outputs} outputs")
            if clear_pending:
                result.outputs.clear()
                clear_pending = False
            output = output_from_msg(msg)
            if kind == "error":
                result.error_name = content.get("ename")
            if (kind == "stream" and result.outputs and result.outputs[-1].get("output_type") == "stream"
                    and result.outputs[-1].get("name") == output.get("name")):
                result.outputs[-1]["text"] += output["text"]
            else:
                result.outputs.append(output)
