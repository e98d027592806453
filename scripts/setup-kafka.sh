#!/usr/bin/env bash
# Resolves the Kafka 3.9 broker + tools classpath from Maven Central into the machine cache.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
KAFKA_VERSION=3.9.1
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"

step "Kafka $KAFKA_VERSION (KRaft) from Maven Central"
need java "Install a JDK ≥ 17 (Debian: apt-get install openjdk-17-jdk-headless)."
need mvn "Install Maven (Debian: apt-get install maven)."
stamp="$KAFKA_LIBS/.complete-$(sha256sum "$ROOT/tools/kafka/pom.xml" | cut -c1-12)"
if [ -f "$stamp" ]; then
  info "classpath cached: $KAFKA_LIBS ($(ls "$KAFKA_LIBS" | wc -l) jars)"
else
  rm -rf "$KAFKA_LIBS" && mkdir -p "$KAFKA_LIBS"
  with_heartbeat "mvn dependency:copy-dependencies" "$CACHE_DIR/kafka-mvn.log" \
    mvn -B -ntp -f "$ROOT/tools/kafka/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
  touch "$stamp"
  jars=("$KAFKA_LIBS"/*.jar)
  info "${#jars[@]} jars in $KAFKA_LIBS"
fi
