#!/bin/sh
# Prints what the unit tests cover, from JaCoCo's CSV report: the whole, then each package, least covered first.
# Run by `mvn test` / `mvn verify` after jacoco:report (pom.xml); prints nothing when the tests did not run.
csv=${1:-target/site/jacoco/jacoco.csv}
[ -f "$csv" ] || exit 0
awk -F, '
  NR == 1 { next }
  {
    lm[$2] += $8; lc[$2] += $9; bm[$2] += $6; bc[$2] += $7
    LM += $8; LC += $9; BM += $6; BC += $7
  }
  function pct(c, m) { return c + m == 0 ? 100 : 100 * c / (c + m) }
  END {
    printf "Coverage by the unit tests: lines %.1f %% (%d of %d), branches %.1f %% (%d of %d)\n",
      pct(LC, LM), LC, LC + LM, pct(BC, BM), BC, BC + BM
    for (p in lm) if (lc[p] + lm[p] > 0) printf "%6.1f %%  %5d lines  %s\n", pct(lc[p], lm[p]), lc[p] + lm[p], p | "sort -n"
    close("sort -n")
  }' "$csv"
