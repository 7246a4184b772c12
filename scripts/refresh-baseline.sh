#!/usr/bin/env bash
# Makes the bundles of the current commit the API baseline that `./mvnw verify` checks semantic versions against
# (bnd-baseline-maven-plugin, docs/architecture.md "Versions and the baseline"). Every module whose pom names the
# plugin is built without baselining and its jar is written to the file repository cnf/baseline under the version
# <project version>-<short commit>, which replaces the old one there and in the root pom's spice.baseline.version.
# A new version each time, because Maven never fetches a release version it has cached in ~/.m2 again.
# Run it from a clean tree after a release (or whenever the exported API as it stands is to be the new reference),
# then commit pom.xml and cnf/baseline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "refresh-baseline: commit or stash your changes first: the baseline is named after the commit" >&2
  exit 1
fi
modules=$(grep -l '<artifactId>bnd-baseline-maven-plugin</artifactId></plugin>' org.spice.*/pom.xml | xargs -n1 dirname | sort)
project=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
version="${project%-SNAPSHOT}-$(git rev-parse --short=7 HEAD)"
./mvnw -B -q -pl "$(echo $modules | tr ' ' ',')" -am package -DskipTests -Dbnd.baseline.skip=true
rm -rf cnf/baseline
for m in $modules; do
  dir=cnf/baseline/org/spice/$m/$version
  mkdir -p "$dir"
  cp "$m/target/$m-$project.jar" "$dir/$m-$version.jar"
  sha1sum "$dir/$m-$version.jar" | cut -d' ' -f1 >"$dir/$m-$version.jar.sha1"
done
sed -i "s:<spice.baseline.version>.*</spice.baseline.version>:<spice.baseline.version>$version</spice.baseline.version>:" pom.xml
echo "baseline $version: $(echo $modules | wc -w) bundles in cnf/baseline; commit pom.xml and cnf/baseline"
