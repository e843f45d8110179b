export {
  DEFAULT_PRESET,
  PAPER_PROPOSERS,
  PRESETS,
  PRESET_NAMES,
  type MoaPreset,
  type PresetName,
} from "./presets.js";
