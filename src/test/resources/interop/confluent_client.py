"""Talks to clipstream the way a team using Confluent's own Python client would (interop test).

Debian's python3-confluent-kafka (1.7) with python3-avro: values go through its
CachedSchemaRegistryClient and MessageSerializer, the serializer under AvroProducer and
AvroConsumer. Those two wrappers insist on Avro keys as well, and clipstream's keys are plain
strings (the item id, the correlation id), so the plain Producer and Consumer carry the
serializer's bytes. (The newer confluent_kafka.schema_registry.avro module needs fastavro, which
Debian does not package.)

  produce BOOTSTRAP REGISTRY SCHEMAS IMAGES     image events (every file in IMAGES) and one caption per image
  search BOOTSTRAP REGISTRY SCHEMAS ID TEXT     a SearchRequest; prints the SearchResponse as JSON
  decode REGISTRY                               stdin as `kcat -f '%k\\n%R%s'` writes it; one JSON line per record
"""
import json
import os
import struct
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def serializer(registry):
    return MessageSerializer(CachedSchemaRegistryClient({"url": registry}))


def schema(schemas, name):
    with open(os.path.join(schemas, name + ".avsc"), encoding="utf-8") as f:
        return loads(f.read())


def delivered(error, message):
    if error is not None:
        raise SystemExit("delivery failed: %s" % error)


def produce(bootstrap, registry, schemas, images):
    values = serializer(registry)
    image_schema = schema(schemas, "ImageEvent")
    caption_schema = schema(schemas, "CaptionEvent")
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "message.max.bytes": 16 * 1024 * 1024})
    sent = 0
    for name in sorted(os.listdir(images)):
        item = os.path.splitext(name)[0]
        with open(os.path.join(images, name), "rb") as f:
            image = {"id": item, "bytes": f.read(), "url": None, "contentType": "image/png", "tenant": "python",
                     "category": None, "metadata": {"source": "confluent-kafka-python"}, "eventTimeMs": int(time.time() * 1000)}
        producer.produce("media.images", key=item.encode("utf-8"),
                         value=values.encode_record_with_schema("media.images", image_schema, image), on_delivery=delivered)
        caption_id = item + "#0"
        caption = {"id": caption_id, "text": "a picture called " + item.replace("-", " "), "language": "en", "imageId": item,
                   "tenant": "python", "category": None, "metadata": {}, "eventTimeMs": None}
        producer.produce("media.captions", key=caption_id.encode("utf-8"),
                         value=values.encode_record_with_schema("media.captions", caption_schema, caption), on_delivery=delivered)
        sent += 2
    if producer.flush(60) != 0:
        raise SystemExit("not every event was delivered within 60 s")
    print(json.dumps({"sent": sent}))


def search(bootstrap, registry, schemas, correlation_id, text):
    values = serializer(registry)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "python-" + correlation_id,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed", "enable.auto.commit": False})
    consumer.subscribe(["search.responses"])
    request = {"correlationId": correlation_id, "text": text, "imageBytes": None, "imageUrl": None, "itemId": None,
               "target": "ANY", "k": 5, "filters": {"tenant": "python"}, "minScore": None, "replyTopic": None,
               "requestedAtMs": int(time.time() * 1000)}
    producer = Producer({"bootstrap.servers": bootstrap})
    producer.produce("search.requests", key=correlation_id.encode("utf-8"),
                     value=values.encode_record_with_schema("search.requests", schema(schemas, "SearchRequest"), request),
                     on_delivery=delivered)
    producer.flush(30)
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error() is not None:
                continue
            if message.key() == correlation_id.encode("utf-8"):
                print(json.dumps(values.decode_message(message.value()), default=str))
                return
    finally:
        consumer.close()
    raise SystemExit("no response to %s within 120 s" % correlation_id)


def decode(registry):
    values = serializer(registry)
    data = sys.stdin.buffer.read()
    at = 0
    while at < len(data):
        newline = data.index(b"\n", at)
        key = data[at:newline].decode("utf-8")
        (length,) = struct.unpack(">i", data[newline + 1:newline + 5])
        at = newline + 5
        if length < 0:
            print(json.dumps({"key": key, "tombstone": True}))
            continue
        payload = data[at:at + length]
        at += length
        (schema_id,) = struct.unpack(">I", payload[1:5])
        record = values.decode_message(payload)
        print(json.dumps({"key": key, "schemaId": schema_id, "magic": payload[0], "id": record["id"],
                          "modality": record["modality"], "modelId": record["modelId"], "dimension": record["dimension"],
                          "vectorLength": len(record["vector"]), "tenant": record.get("tenant")}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "produce":
        produce(*sys.argv[2:6])
    elif command == "search":
        search(*sys.argv[2:7])
    elif command == "decode":
        decode(sys.argv[2])
    else:
        raise SystemExit(__doc__)
