"""Graded cohorts: a thin CLI (`regionkurs cohort …`) over a small API on top of nbgrader.

One module per step: :mod:`.course` (init), :mod:`.roster`, :mod:`.exchange`
(release, collect), :mod:`.sandbox` / :mod:`.seccomp` / :mod:`.kernel` (the
grading sandbox), :mod:`.plan`, :mod:`.submission`, :mod:`.answers`, :mod:`.slicing` and
:mod:`.grading` (one submission),
:mod:`.autograde` (all submissions, in parallel), :mod:`.report`,
:mod:`.feedback` and :mod:`.export`.
"""
