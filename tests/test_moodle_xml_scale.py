"""A whole Moodle course bank imports in bounded time and memory: 5,000 questions read one
``<question>`` at a time (the same bank as ``bench/run --moodle-xml``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: Generous blow-up bounds: the bench row measures the real numbers (docs/moodle.md). The time is
#: the process's CPU time, which other work on a shared machine does not stretch as it does the
#: wall clock.
CPU_SECONDS, PEAK_MIB = 10.0, 400

MEASURE = """
import json, sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from helpers.moodle_bank import moodle_bank
from quizapp.domain.formats import parse_upload
content = moodle_bank({count})
started = time.process_time()
parsed = parse_upload("bank.xml", content)
seconds = time.process_time() - started
# VmHWM, not ru_maxrss: a child started by vfork inherits the maxrss of its parent (here
# the test process), while the high-water mark belongs to this process's own memory.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
kinds = sorted({{q.type for q in parsed.question_set.questions}})
categories = len({{q.category for q in parsed.question_set.questions}})
print(json.dumps([len(parsed.question_set.questions), kinds, categories, seconds, peak]))
"""


def measure(count: int) -> tuple[int, list[str], int, float, float]:
    script = MEASURE.format(root=str(TESTS.parent), tests=str(TESTS), count=count)
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    questions, kinds, categories, seconds, peak = json.loads(output)
    return questions, kinds, categories, seconds, peak


def test_a_5000_question_bank_imports_in_bounded_time_and_memory() -> None:
    questions, kinds, categories, seconds, peak = measure(5000)
    assert questions == 5000
    assert kinds == ["short_answer", "single_choice", "true_false"]
    assert categories == 50  # one per Moodle category of 100
    assert seconds < CPU_SECONDS, f"{seconds:.1f} s of CPU time"
    assert peak < PEAK_MIB, f"{peak:.0f} MiB"
