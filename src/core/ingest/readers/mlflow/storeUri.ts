/**
 * MLflow writes absolute URIs of the machine that logged (`file:///C:/Users/Dhivya%20Shankar/...`).
 * A store that was copied or committed elsewhere still holds them; the part after the `mlruns/`
 * folder is what locates the artifact inside this workspace's copy of the store.
 */

/**
 * The workspace-relative path that `uri` names inside the store holding `storeFileRelPath`
 * (any file of that store), or undefined when the URI does not point into an `mlruns/` folder.
 */
export function storePathOf(uri: string, storeFileRelPath: string): string | undefined {
  const m = /^((?:.*\/)?mlruns)\//.exec(storeFileRelPath);
  if (!m) return undefined;
  const decoded = decodeUri(uri).replace(/\\/g, '/');
  const at = decoded.lastIndexOf('/mlruns/');
  if (at < 0) return undefined;
  const inside = decoded.slice(at + '/mlruns/'.length).replace(/\/+$/, '');
  return inside ? `${m[1]}/${inside}` : m[1];
}

function decodeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
