// The `espeak-ng` package (eSpeak NG compiled to WebAssembly) ships no types: what
// scripts/build-audio.ts uses of its Emscripten module.
declare module "espeak-ng" {
  type Options = {
    arguments?: string[];
    instantiateWasm?(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
    print?(text: string): void;
    printErr?(text: string): void;
  };
  export default function ESpeakNg(options: Options): Promise<{ FS: { readFile(file: string): Uint8Array } }>;
}
