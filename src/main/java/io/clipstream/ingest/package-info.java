/**
 * Publishing a folder of images and captions to the input topics from the command line (clipstream ingest), and
 * watching the outcomes (indexed, rejected, dead-lettered) until every item is accounted for. A client of the
 * service's topics, imported only by the CLI.
 */
package io.clipstream.ingest;
