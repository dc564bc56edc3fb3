"""An independent decoding of TFMA's Evaluator output, for the TypeScript reader's tests.

Uses Google's protobuf package (not ExpTrack's wire reader): the message types are declared here
field for field as TFMA declares them (tensorflow_model_analysis/proto/metrics_for_slice.proto and
validation_result.proto), built into a descriptor pool and parsed by protobuf itself; the TFRecord
framing is read with struct and checked with a CRC-32C written here.

    python decode_tfma.py metrics FILE      -> [{"slice": {...}, "values": {...}}, ...]
    python decode_tfma.py validations FILE  -> [{"ok": bool, "failures": [...]}, ...]
    python decode_tfma.py samples DIR       writes DIR/metrics and DIR/validations with what the
                                            fixtures lack: bounded values, confusion matrices at
                                            thresholds, float and int slice keys, a failed validation
"""
import json
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, wrappers_pb2
from google.protobuf import message_factory

F = descriptor_pb2.FieldDescriptorProto
OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED


def message(name, fields, nested=(), oneof=None):
    """A message type; `oneof` = (name, field names in it), as the .proto's `oneof` block."""
    m = descriptor_pb2.DescriptorProto(name=name)
    if oneof:
        m.oneof_decl.add(name=oneof[0])
    for field_name, number, kind, type_name, label in fields:
        f = m.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name
        if oneof and field_name in oneof[1]:
            f.oneof_index = 0
    for n in nested:
        m.nested_type.add().CopyFrom(n)
    return m


def build_pool():
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(wrappers_pb2.DESCRIPTOR.serialized_pb)
    fd = descriptor_pb2.FileDescriptorProto(name="tfma_test.proto", package="tfma", syntax="proto3",
                                            dependency=["google/protobuf/wrappers.proto"])
    dv, i32 = ".google.protobuf.DoubleValue", ".google.protobuf.Int32Value"
    T = F
    fd.message_type.extend([
        message("SubKey", [("class_id", 1, T.TYPE_MESSAGE, i32, OPT), ("k", 2, T.TYPE_MESSAGE, i32, OPT),
                           ("top_k", 3, T.TYPE_MESSAGE, i32, OPT)]),
        message("MetricKey", [("name", 1, T.TYPE_STRING, None, OPT), ("output_name", 2, T.TYPE_STRING, None, OPT),
                              ("sub_key", 3, T.TYPE_MESSAGE, ".tfma.SubKey", OPT), ("model_name", 4, T.TYPE_STRING, None, OPT)]),
        message("BoundedValue", [("lower_bound", 1, T.TYPE_MESSAGE, dv, OPT), ("upper_bound", 2, T.TYPE_MESSAGE, dv, OPT),
                                 ("value", 3, T.TYPE_MESSAGE, dv, OPT), ("methodology", 4, T.TYPE_INT32, None, OPT)]),
        message("ConfusionMatrixAtThresholds", [("matrices", 1, T.TYPE_MESSAGE, ".tfma.ConfusionMatrixAtThresholds.Matrix", REP)], nested=[
            message("Matrix", [(n, i + 1, T.TYPE_DOUBLE, None, OPT) for i, n in enumerate(
                ["threshold", "false_negatives", "true_negatives", "false_positives", "true_positives", "precision", "recall"])]),
        ]),
        message("MetricValue", [("double_value", 1, T.TYPE_MESSAGE, dv, OPT), ("bounded_value", 2, T.TYPE_MESSAGE, ".tfma.BoundedValue", OPT),
                                ("confusion_matrix_at_thresholds", 5, T.TYPE_MESSAGE, ".tfma.ConfusionMatrixAtThresholds", OPT),
                                ("bytes_value", 6, T.TYPE_BYTES, None, OPT)],
                oneof=("type", ("double_value", "bounded_value", "confusion_matrix_at_thresholds", "bytes_value"))),
        message("SingleSliceKey", [("column", 1, T.TYPE_STRING, None, OPT), ("bytes_value", 2, T.TYPE_BYTES, None, OPT),
                                   ("float_value", 3, T.TYPE_FLOAT, None, OPT), ("int64_value", 4, T.TYPE_INT64, None, OPT)],
                oneof=("kind", ("bytes_value", "float_value", "int64_value"))),
        message("SliceKey", [("single_slice_keys", 1, T.TYPE_MESSAGE, ".tfma.SingleSliceKey", REP)]),
        message("MetricsForSlice", [("slice_key", 1, T.TYPE_MESSAGE, ".tfma.SliceKey", OPT),
                                    ("metric_keys_and_values", 51, T.TYPE_MESSAGE, ".tfma.MetricsForSlice.KeyAndValue", REP)], nested=[
            message("KeyAndValue", [("key", 1, T.TYPE_MESSAGE, ".tfma.MetricKey", OPT), ("value", 2, T.TYPE_MESSAGE, ".tfma.MetricValue", OPT)]),
        ]),
        message("ValidationFailure", [("metric_key", 1, T.TYPE_MESSAGE, ".tfma.MetricKey", OPT), ("message", 4, T.TYPE_STRING, None, OPT)]),
        message("MetricsValidationForSlice", [("slice_key", 2, T.TYPE_MESSAGE, ".tfma.SliceKey", OPT),
                                              ("failures", 3, T.TYPE_MESSAGE, ".tfma.ValidationFailure", REP)]),
        message("ValidationResult", [("validation_ok", 1, T.TYPE_BOOL, None, OPT),
                                     ("metric_validations_per_slice", 2, T.TYPE_MESSAGE, ".tfma.MetricsValidationForSlice", REP),
                                     ("missing_thresholds", 6, T.TYPE_BOOL, None, OPT)]),
    ])
    pool.Add(fd)
    return pool


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecords(path):
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):
        length, = struct.unpack_from("<Q", data, pos)
        assert struct.unpack_from("<I", data, pos + 8)[0] == masked(crc32c(data[pos:pos + 8])), "header crc"
        body = data[pos + 12:pos + 12 + length]
        assert struct.unpack_from("<I", data, pos + 12 + length)[0] == masked(crc32c(body)), "data crc"
        yield body
        pos += 12 + length + 4


def slice_of(key):
    out = {}
    for s in key.single_slice_keys:
        kind = s.WhichOneof("kind")
        if kind == "bytes_value":
            out[s.column] = s.bytes_value.decode()
        elif kind == "int64_value":
            out[s.column] = str(s.int64_value)
        elif kind == "float_value":
            out[s.column] = shortest_float32(s.float_value)
        else:
            out[s.column] = ""
    return out


def shortest_float32(x):
    """The shortest decimal that reads back as the same 32-bit float, as protobuf's text format prints it."""
    as32 = struct.unpack("<f", struct.pack("<f", x))[0]
    for digits in range(1, 10):
        text = "%.*g" % (digits, as32)
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == as32:
            return repr(float(text)).rstrip("0").rstrip(".") if "e" not in text else text
    return repr(as32)


def metric_name(key):
    name = "/".join(p for p in (key.model_name, key.output_name, key.name) if p)
    return name


def frame(body):
    header = struct.pack("<Q", len(body))
    return header + struct.pack("<I", masked(crc32c(header))) + body + struct.pack("<I", masked(crc32c(body)))


def write_samples(folder, cls):
    import os
    overall = cls("MetricsForSlice")()
    kv = overall.metric_keys_and_values.add()
    kv.key.name = "auc"
    kv.value.bounded_value.value.value = 0.875
    kv.value.bounded_value.lower_bound.value = 0.8125
    kv.value.bounded_value.upper_bound.value = 0.9375
    kv = overall.metric_keys_and_values.add()
    kv.key.name = "confusion_matrix_at_thresholds"
    for t, tp, fp in ((0.25, 40.0, 12.0), (0.5, 31.0, 4.0)):
        m = kv.value.confusion_matrix_at_thresholds.matrices.add()
        m.threshold, m.true_positives, m.false_positives, m.false_negatives, m.true_negatives = t, tp, fp, 50.0 - tp, 50.0 - fp
        m.precision, m.recall = tp / (tp + fp), tp / 50.0
    kv = overall.metric_keys_and_values.add()
    kv.key.name, kv.key.output_name = "example_count", "head"
    kv.value.double_value.value = 100.0
    sliced = cls("MetricsForSlice")()
    for column, value in (("sex", b"F"), ("age", 0.1), ("bucket", -3)):
        k = sliced.slice_key.single_slice_keys.add(column=column)
        if isinstance(value, bytes):
            k.bytes_value = value
        elif isinstance(value, float):
            k.float_value = value
        else:
            k.int64_value = value
    kv = sliced.metric_keys_and_values.add()
    kv.key.name = "auc"
    kv.value.bounded_value.value.value = 0.5
    kv = sliced.metric_keys_and_values.add()
    kv.key.name = "accuracy"
    kv.value.double_value.SetInParent()  # proto3 leaves a zero out: an empty DoubleValue is 0
    with open(os.path.join(folder, "metrics"), "wb") as f:
        f.write(frame(overall.SerializeToString()) + frame(sliced.SerializeToString()))
    result = cls("ValidationResult")()
    result.validation_ok = False
    per_slice = result.metric_validations_per_slice.add()
    per_slice.slice_key.CopyFrom(sliced.slice_key)
    failure = per_slice.failures.add(message="Metric auc 0.5 is smaller than the lower bound 0.6")
    failure.metric_key.name = "auc"
    with open(os.path.join(folder, "validations"), "wb") as f:
        f.write(frame(result.SerializeToString()))


def main():
    kind, path = sys.argv[1], sys.argv[2]
    pool = build_pool()
    cls = lambda n: message_factory.GetMessageClass(pool.FindMessageTypeByName("tfma." + n))
    if kind == "samples":
        write_samples(path, cls)
        return
    out = []
    for body in tfrecords(path):
        if kind == "metrics":
            m = cls("MetricsForSlice")()
            m.ParseFromString(body)
            values = {}
            for kv in m.metric_keys_and_values:
                name = metric_name(kv.key)
                v = kv.value
                which = v.WhichOneof("type")
                if which == "double_value":
                    values[name] = v.double_value.value
                elif which == "bounded_value":
                    values[name] = v.bounded_value.value.value
                    if v.bounded_value.HasField("lower_bound"):
                        values[name + "/lower_bound"] = v.bounded_value.lower_bound.value
                    if v.bounded_value.HasField("upper_bound"):
                        values[name + "/upper_bound"] = v.bounded_value.upper_bound.value
                elif which == "confusion_matrix_at_thresholds":
                    for mx in v.confusion_matrix_at_thresholds.matrices:
                        for f in ("false_negatives", "true_negatives", "false_positives", "true_positives", "precision", "recall"):
                            values["%s@%r/%s" % (name, mx.threshold, f)] = getattr(mx, f)
            out.append({"slice": slice_of(m.slice_key), "values": values})
        else:
            r = cls("ValidationResult")()
            r.ParseFromString(body)
            out.append({"ok": r.validation_ok, "failures": [
                {"slice": slice_of(s.slice_key), "metric": metric_name(f.metric_key), "message": f.message}
                for s in r.metric_validations_per_slice for f in s.failures]})
    json.dump(out, sys.stdout, allow_nan=True)


if __name__ == "__main__":
    main()
