#!/usr/bin/env bash
# Zipkin server (traces from every daprd) from Maven Central: the self-contained `exec` jar of
# io.zipkin:zipkin-server, into the machine cache. Needs a JDK ≥ 17 (as Kafka does) and Maven.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

step "Zipkin $ZIPKIN_VERSION from Maven Central"
need java "Install a JDK ≥ 17 (Debian: apt-get install openjdk-17-jdk-headless)."
need mvn "Install Maven (Debian: apt-get install maven)."
if [ -f "$ZIPKIN_JAR" ] && [ -f "$ZIPKIN_JAR.complete" ]; then
  info "cached: $ZIPKIN_JAR"
else
  mkdir -p "$(dirname "$ZIPKIN_JAR")"
  # ~130 MB: the server with its UI and in-memory storage, one jar (Spring Boot's executable layout).
  with_heartbeat "mvn dependency:copy io.zipkin:zipkin-server:$ZIPKIN_VERSION:exec" "$CACHE_DIR/zipkin-mvn.log" \
    mvn -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" -DoutputDirectory="$(dirname "$ZIPKIN_JAR")"
  [ -f "$ZIPKIN_JAR" ] || die "Maven did not produce $ZIPKIN_JAR (log: $CACHE_DIR/zipkin-mvn.log)"
  touch "$ZIPKIN_JAR.complete"
  info "$(du -h "$ZIPKIN_JAR" | cut -f1) in $ZIPKIN_JAR"
fi
