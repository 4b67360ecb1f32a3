/**
 * Everything in one JVM for the demo and tests: an in-process KRaft broker and schema registry beside a
 * ClipstreamService, and the demo corpus loaded into it. Uses service and config; the CLI's demo command runs it.
 */
package io.clipstream.embedded;
