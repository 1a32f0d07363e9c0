"""The exit codes of every `pressroom` command, in one place.

0  ok
1  the job ran but some inputs failed (see the summary)
2  usage error: a bad argument, found before any work starts
3  nothing usable was produced
4  a fatal error stopped the job (disk full, permission denied, damaged dataset, port in use);
   what was already written is complete
5  the output folder is busy: another run holds its lock (nothing was done)
130  interrupted (Ctrl-C, SIGINT or SIGTERM)
141  the output was closed early (`pressroom report | head`)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_NOTHING = 3
EXIT_FATAL = 4
EXIT_BUSY = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

__all__ = ["EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "EXIT_NOTHING", "EXIT_FATAL", "EXIT_BUSY", "EXIT_INTERRUPTED",
           "EXIT_BROKEN_PIPE"]
