/**
 * The .proto files under bench/protos, loaded for both protobuf libraries the benches weigh:
 * protobufjs parses the .proto text itself; @bufbuild/protobuf has no .proto parser, so it gets the
 * same definitions as descriptors (protobufjs's descriptor extension writes them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileRegistry, fromBinary, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema, type DescriptorProto } from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor';

export interface LoadedProto {
  /** protobufjs reflection; field names as written in the .proto, or in camelCase as @bufbuild/protobuf spells them. */
  root: protobuf.Root;
  /** @bufbuild/protobuf descriptors of the same messages. */
  registry: FileRegistry;
}

export function loadProto(file: string, names: 'as written' | 'camelCase' = 'as written'): LoadedProto {
  const text = fs.readFileSync(path.join(__dirname, 'protos', file), 'utf8');
  const root = protobuf.parse(text, { keepCase: true }).root;
  root.resolveAll();
  const encoded = (descriptor as unknown as { FileDescriptorSet: protobuf.Type }).FileDescriptorSet
    .encode((root as unknown as { toDescriptor(syntax: string): protobuf.Message }).toDescriptor('proto2')).finish();
  const set = fromBinary(FileDescriptorSetSchema, encoded);
  // protobufjs writes type names relative to the message; descriptors need them fully qualified.
  const qualify = (scope: string, message: DescriptorProto): void => {
    const fullName = `${scope}.${message.name}`;
    for (const field of message.field) {
      if (field.typeName && !field.typeName.startsWith('.')) {
        field.typeName = root.lookupType(fullName.slice(1)).lookup(field.typeName)!.fullName;
      }
    }
    for (const nested of message.nestedType) qualify(fullName, nested);
  };
  for (const f of set.file) for (const m of f.messageType) qualify(f.package ? `.${f.package}` : '', m);
  const registry = createFileRegistry(set);
  if (names === 'as written') return { root, registry };
  const camelRoot = protobuf.parse(text).root;
  camelRoot.resolveAll();
  return { root: camelRoot, registry };
}
