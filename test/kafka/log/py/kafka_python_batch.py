"""kafka-python 2.0.2's own RecordBatch v2 code, used by test/kafka/log/record-batch.test.ts.

  build SPEC_JSON  -> one hex batch per line, built by DefaultRecordBatchBuilder from
                      [{"compression": 0|1, "producer_id": -1, "records": [{"key", "value", "ts"}]}]
  check HEX        -> JSON of what DefaultRecordBatch reads from the bytes (and whether its CRC holds)
"""
import json
import sys

from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder


def build(spec):
    for batch in spec:
        pid = batch.get("producer_id", -1)
        builder = DefaultRecordBatchBuilder(
            magic=2, compression_type=batch.get("compression", 0), is_transactional=False,
            producer_id=pid, producer_epoch=0 if pid >= 0 else -1, base_sequence=0 if pid >= 0 else -1,
            batch_size=1 << 20)
        for i, r in enumerate(batch["records"]):
            key = r["key"].encode() if r.get("key") is not None else None
            builder.append(i, timestamp=r["ts"], key=key, value=r["value"].encode(), headers=[])
        print(bytes(builder.build()).hex())


def check(hex_batch):
    batch = DefaultRecordBatch(bytes.fromhex(hex_batch))
    crc_ok = batch.validate_crc()
    records = [{"offset": r.offset, "timestamp": r.timestamp, "key": r.key.decode() if r.key else None,
                "value": r.value.decode()} for r in batch]
    print(json.dumps({"base_offset": batch.base_offset, "crc_ok": crc_ok, "timestamp_type": batch.timestamp_type,
                      "max_timestamp": batch.max_timestamp, "records": records}))


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(json.loads(sys.argv[2]))
    else:
        check(sys.argv[2])
