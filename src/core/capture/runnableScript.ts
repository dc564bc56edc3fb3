/**
 * Whether a Python file looks like something one runs rather than a module one imports: it has a
 * main guard, imports an ML framework or logger, or reads its command line at module level
 * (`args = parser.parse_args()`, `sys.argv`). Such files get "Run with Tracking" above them.
 */
const MAIN_GUARD = /^\s*if\s+__name__\s*==\s*['"]__main__['"]/m;
const ML_IMPORT = /^\s*(?:import|from)\s+(?:torch|tensorflow|keras|sklearn|lightning|pytorch_lightning|xgboost|lightgbm|transformers|jax|exptrack|mlflow)\b/m;
/** An unindented statement (not a comment) that parses arguments or reads sys.argv runs on import: a script. */
const MODULE_LEVEL_ARGV = /^[^\s#].*(?:\.parse_(?:known_)?args\(|\bsys\.argv\b)/m;

export function looksRunnable(source: string): boolean {
  return MAIN_GUARD.test(source) || ML_IMPORT.test(source) || MODULE_LEVEL_ARGV.test(source);
}
