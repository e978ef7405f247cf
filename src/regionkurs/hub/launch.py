"""Launch links: open an exercise on the course's JupyterHub through nbgitpuller."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

APPS = ("voila", "lab")


class HubConfigError(ValueError):
    """The hub settings in _config.yml are incomplete or malformed."""


@dataclass(frozen=True)
class HubSettings:
    url: str  # the hub's address, e.g. https://jupyter.example.se
    repository: str  # the git repository nbgitpuller clones for each user
    branch: str = "main"
    app: str = "voila"  # "voila": the exercise as an app without code; "lab": JupyterLab

    @classmethod
    def from_config(cls, url: str, repository: str, branch: str, app: str) -> HubSettings | None:
        """None when no hub address is set (no button); an error when it is set but incomplete."""
        url = (url or "").strip().rstrip("/")
        if not url:
            return None
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise HubConfigError(f"regionkurs_hub_url {url!r} is not an http(s) address")
        if not (repository or "").strip():
            raise HubConfigError("regionkurs_hub_url is set but regionkurs_hub_repository is empty: "
                                 "nbgitpuller needs the repository to clone")
        if not (branch or "").strip():
            raise HubConfigError("regionkurs_hub_branch is empty")
        if app not in APPS:
            raise HubConfigError(f"regionkurs_hub_app must be one of {', '.join(APPS)}, not {app!r}")
        return cls(url, repository.strip(), branch.strip(), app)

    @property
    def folder(self) -> str:
        """The folder in the user's home that nbgitpuller clones into."""
        name = self.repository.rstrip("/").split("/")[-1]
        return name.removesuffix(".git") or "kurs"

    def launch_url(self, path: str) -> str:
        """The nbgitpuller link that opens ``path`` (relative to the repository, e.g.
        ``exercises/f01.ipynb``) for the signed-in user."""
        inner = f"{self.folder}/{path}"
        urlpath = f"voila/render/{inner}" if self.app == "voila" else f"lab/tree/{inner}"
        query = urlencode({"repo": self.repository, "branch": self.branch, "targetpath": self.folder,
                           "urlpath": urlpath})
        return f"{self.url}/hub/user-redirect/git-pull?{query}"
