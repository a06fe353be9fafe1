"""Build: the reader's hot modules compiled to C with mypyc where a C compiler is at hand.

``pip install .`` (a wheel) compiles the modules of ``COMPILED``; the compiled modules are
the same source, and ``tests/test_compiled.py`` holds that they read every input to the
same record as the Python ones. Without a C compiler, or with ``GONGKAI_PURE=1``, the
install is pure Python (one line says why; pip shows it with ``-v``). The HTML reader's walk
over libxml2's nodes (``_htmlwalk.pyx``) is compiled with Cython against lxml's C API
beside them; ``html.read`` falls back to its Python walk where it is not built. An editable install
(``pip install -e .``, what ``make`` does) is always pure Python, so that an edited module
takes effect.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# the reader's hot path: bytes of a text or HTML report to a record
COMPILED = [
    "src/gongkai/agencies.py",
    "src/gongkai/national/labels.py",
    "src/gongkai/reading/document.py",
    "src/gongkai/reading/formats/__init__.py",
    "src/gongkai/reading/formats/common.py",
    "src/gongkai/reading/formats/decode.py",
    "src/gongkai/reading/formats/html.py",
    "src/gongkai/reading/formats/html_signals.py",
    "src/gongkai/reading/formats/html_tags.py",
    "src/gongkai/reading/formats/text.py",
    "src/gongkai/reading/furniture.py",
    "src/gongkai/reading/interpret/assemble.py",
    "src/gongkai/reading/interpret/cells.py",
    "src/gongkai/reading/interpret/fused.py",
    "src/gongkai/reading/interpret/legacy.py",
    "src/gongkai/reading/interpret/meta.py",
    "src/gongkai/reading/interpret/placement.py",
    "src/gongkai/reading/interpret/rows.py",
    "src/gongkai/reading/interpret/search.py",
    "src/gongkai/reading/interpret/sections.py",
    "src/gongkai/reading/interpret/tables.py",
    "src/gongkai/reading/limits.py",
    "src/gongkai/written.py",
]


def _pure(why: str) -> None:
    """The one line an install that stays pure Python prints (Chinese, then English)."""
    print(
        f"gongkai: 阅读器未编译，已安装纯 Python 版本 / the reader is not compiled;"
        f" pure Python is installed ({why})",
        file=sys.stderr,
    )


class OptionalBuildExt(build_ext):
    """Compile the extensions, or, where that fails (no C compiler, no Python headers),
    say so in one line and install the pure-Python modules."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # a compiler fails in many ways: each leaves pure Python
            for built in self.get_outputs():  # none compiled, or all: never a mix
                if os.path.exists(built):
                    os.remove(built)
            self.extensions = []
            _pure(f"{exc}; apt-get install gcc python3-dev")


def _ext_modules() -> list[object]:
    # compiled for a wheel (pip install ., pip wheel .), not for the metadata steps nor for
    # an editable install (whose modules must be the files one edits)
    building = any(cmd in sys.argv for cmd in ("bdist_wheel", "build", "build_ext", "install"))
    if not building or os.environ.get("GONGKAI_PURE"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _pure("no mypy")
        return []
    try:
        # the project's mypy settings (pyproject.toml: strict, the pydantic plugin)
        modules = list(mypycify(["--ignore-missing-imports", *COMPILED]))
    except (Exception, SystemExit) as exc:  # mypy exits on what it cannot type
        _pure(str(exc))
        return []
    return modules + _walk()


def _walk() -> list[object]:
    """The Cython walk of the HTML reader, built against the lxml it will run with."""
    try:
        import lxml
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as exc:
        print(
            f"gongkai: HTML 网页的快速遍历未编译，使用 Python 版本 / the HTML walk is not"
            f" compiled; its Python version is used ({exc}; pip install cython)",
            file=sys.stderr,
        )
        return []
    walk = Extension(
        "gongkai.reading.formats._htmlwalk",
        ["src/gongkai/reading/formats/_htmlwalk.pyx"],
        include_dirs=lxml.get_include(),
    )
    # the C it generates goes under build/, not beside the source
    return list(
        cythonize([walk], quiet=True, build_dir="build", compiler_directives={"language_level": 3})
    )


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
