// Behind login, served as an SPA by the Node server: no SSR, no prerendering.
export const ssr = false;
export const prerender = false;
