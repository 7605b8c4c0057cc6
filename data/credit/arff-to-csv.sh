#!/bin/sh
# Converts Weka's credit-g.arff (Statlog German Credit, shipped by Debian's weka package) to the plain CSV
# the credit model is trained on. Run once; the CSV is committed so training never needs Weka.
#
#   cd /tmp && apt-get download weka && dpkg -x weka_*.deb wekax
#   data/credit/arff-to-csv.sh /tmp/wekax/usr/share/doc/weka/examples/credit-g.arff > data/credit/credit-g.csv
#
# Only gawk (for FPAT, which splits on commas outside single quotes) is needed. The ARFF quotes values with
# single quotes; the CSV drops them. A value holding a comma or a double quote would need CSV quoting, so the
# script refuses such input instead of writing a CSV that would parse differently.
set -eu
in="${1:?usage: arff-to-csv.sh credit-g.arff > credit-g.csv}"
LC_ALL=C gawk '
BEGIN { FPAT = "([^,]*)|(\047[^\047]*\047)"; n = 0; data = 0; rows = 0 }
/^%/ || /^[[:space:]]*$/ { next }
tolower($1) ~ /^@attribute/ {
    split($0, w, /[[:space:]]+/); names[++n] = w[2]; next
}
tolower($1) ~ /^@data/ {
    header = names[1]; for (i = 2; i <= n; i++) header = header "," names[i]
    print header; data = 1; next
}
/^@/ { next }
data {
    if (NF != n) { printf "line %d: %d fields, expected %d\n", NR, NF, n > "/dev/stderr"; exit 1 }
    line = ""
    for (i = 1; i <= NF; i++) {
        v = $i; gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
        if (v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
        if (v ~ /[,"]/ || v == "?") { printf "line %d: value <%s> needs quoting or is missing\n", NR, v > "/dev/stderr"; exit 1 }
        line = (i == 1) ? v : line "," v
    }
    print line; rows++
}
END { if (rows == 0) { print "no @data rows" > "/dev/stderr"; exit 1 } }
' "$in"
