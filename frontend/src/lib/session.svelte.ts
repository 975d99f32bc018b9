// Who is signed in. null once the API has answered 401.

import type { Staff } from "./types";

export const session = $state<{ me: Staff | null; checked: boolean }>({ me: null, checked: false });

export const isOwner = () => session.me?.role === "owner";
