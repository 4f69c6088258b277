"""The optional C helper for log counting (console/core/logs/_linecount.c).

Everything else is configured in pyproject.toml. `optional=True`: without a compiler the
install still succeeds and counting.py counts in Python instead.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "console.core.logs._linecount",
            sources=["console/core/logs/_linecount.c"],
            optional=True,
        )
    ]
)
