"""The synthetic LGC 2024 microdata: built from the published figures, and checked against them.

The report publishes aggregates only, so the package ships a reconstruction:
78 respondents whose aggregates reproduce every published figure within the
rounding the report used. Three modules, each used by the next:

1. :mod:`.assumptions`: everything the report does not say, named, with a value
   and a reason, in one place (``PROSE_READINGS`` adds statements the report
   makes in words that the figures table does not hold as rows).
2. :mod:`.claims`: each row of ``lgc2024.csv`` becomes a :class:`~.claims.Claim`,
   a statistic of the microdata and what the report says about it;
   ``fidelity`` evaluates every claim on any microdata frame, synthetic or real.
   Pages import this, never the solver.
3. :mod:`.solver`: ``build`` solves small integer programmes (scipy's HiGHS) for
   how many respondents give each answer so that every claim holds; a seeded
   random assignment then gives the answers to respondents.
"""
