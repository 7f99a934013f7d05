"""The workbook parse, in a child process under a memory ceiling (``python -m
yuanjiang.interop.parse_child LIMITS…`` with the file on stdin, a pickle of the sheets on stdout).

python-calamine allocates a sheet's whole extent and aborts the process when an allocation fails:
in the server's worker that would be the worker. Here the address space is limited
(RLIMIT_AS = IMPORT_MEMORY_MB) before the file is read, so a file past the ceiling ends this
process only; `run` turns that into a Chinese message. No Django here.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import subprocess
import sys

from yuanjiang.interop.limits import LimitError, Limits, check_extent

EXIT_OUT_OF_MEMORY = 3


class ParseFailed(Exception):
    """The parse did not finish (message in Chinese)."""


def parse(data: bytes, limits: Limits) -> list[tuple[str, list[list], list]]:
    """(name, rows, merged ranges) of every sheet. Raises LimitError, or ValueError when the
    workbook cannot be opened or a sheet cannot be read."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for zip, xml and cfb problems
        raise ValueError("open") from exc
    sheets = []
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            # What to_python would build: the extent from A1 (empty rows and columns included).
            height, width = sheet.total_height, sheet.total_width
        except Exception as exc:
            raise ValueError(name) from exc
        check_extent(f"工作表“{name}”", height, width, limits)
        try:
            rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows + 2)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise ValueError(name) from exc
        sheets.append((name, [list(r) for r in rows], merged))
    return sheets


def main(argv: list[str]) -> int:
    limits = Limits.from_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    out = sys.stdout.buffer
    try:
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        result = ("ok", parse(data, limits))
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    except LimitError as exc:
        result = ("limit", str(exc))
    except ValueError as exc:
        result = ("unreadable", str(exc))
    try:
        out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    return 0


def run(data: bytes, limits: Limits) -> tuple[str, object]:
    """Runs the parse in a child process: ("ok", sheets), ("limit", message) or
    ("unreadable", sheet name or "open"). Raises ParseFailed past the memory or time limit."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "yuanjiang.interop.parse_child", *limits.as_args()],
            input=data,
            capture_output=True,
            timeout=limits.timeout,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RUST_BACKTRACE": "0"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseFailed(
            f"文件解析超过{limits.timeout}秒仍未完成，未导入。请删去空白的行和列，或拆分后分别导入。"
        ) from exc
    if done.returncode in (EXIT_OUT_OF_MEMORY, -signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        raise ParseFailed(
            f"解析这个文件需要的内存超过{limits.memory // 1024 // 1024}MB的上限，未导入"
            "（表格范围过大，可能在很远的单元格里有内容或格式）。请删去空白的行和列，或拆分后分别导入。"
        )
    if done.returncode != 0:
        raise ParseFailed(
            "文件无法作为Excel文件读取（解析进程异常退出），未导入。请在Excel中打开后另存为.xlsx再导入。"
        )
    # The pickle comes from our own child process, never from the uploaded file.
    return pickle.loads(done.stdout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
