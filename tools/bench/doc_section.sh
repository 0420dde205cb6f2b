# Sourced by the tools/bench-* scripts: each owns one "## " section of
# docs/performance.md and rewrites only that one, keeping every other.
#   replace_doc_section DOC "## Heading" FILE_WITH_THE_NEW_SECTION
# The section runs from its heading to the next "## " heading or the end; a
# missing one is appended.
replace_doc_section() {
  local doc=$1 heading=$2 section=$3
  awk -v heading="$heading" -v section="$section" '
    function put(  line) { while ((getline line < section) > 0) print line; close(section) }
    $0 == heading { skipping = 1; done = 1; put(); next }
    skipping && /^## / { skipping = 0; print "" }
    !skipping { print }
    END { if (!done) { print ""; put() } }
  ' "$doc" > "$doc.new"
  mv "$doc.new" "$doc"
}
