/**
 * The board's pages, each a function from data to html`` (html.ts), inside one layout. No page carries a script or
 * a style attribute: the look is one stylesheet, /board.css, so the Content-Security-Policy can forbid inline code
 * altogether, and markup that slipped through escaping still could not run.
 */
import { html, type SafeHtml } from './html.ts';

export interface Viewer {
  name: string | null;
  csrfToken: string | null;
}
export interface Post {
  id: number;
  author: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
}
type Errors = Record<string, string>;

const csrfField = (viewer: Viewer) => html`<input type="hidden" name="csrf" value="${viewer.csrfToken}">`;
const error = (errors: Errors, field: string) => errors[field] && html`<p class="error">${errors[field]}</p>`;
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

// A post as the board lists it; its author also gets the links to edit and delete it.
function postItem(viewer: Viewer, post: Post): SafeHtml {
  const own =
    post.author === viewer.name &&
    html`<a href="/posts/${post.id}/edit">Edit</a>
      <form method="post" action="/posts/${post.id}/delete">${csrfField(viewer)}<button>Delete</button></form>`;
  const edited = post.editedAt !== null && ' (edited)';
  return html`<article><p>${post.body}</p><footer>${post.author}, ${when(post.createdAt)}${edited} ${own}</footer></article>`;
}

export function layout(title: string, viewer: Viewer, main: SafeHtml): SafeHtml {
  const account = viewer.name
    ? html`<form method="post" action="/logout">${csrfField(viewer)}<span>signed in as ${viewer.name}</span>
        <button>Log out</button></form>`
    : html`<a href="/login">Log in</a> <a href="/register">Register</a>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · board</title>
<meta name="viewport" content="width=device-width"><link rel="stylesheet" href="/board.css"></head>
<body><header><a href="/">board</a><nav>${account}</nav></header><main><h1>${title}</h1>${main}</main></body></html>
`;
}

export function boardPage(
  viewer: Viewer,
  posts: Post[],
  more: { newer?: string; older?: string },
  form = { body: '', errors: {} as Errors },
) {
  const compose =
    viewer.name &&
    html`<form method="post" action="/posts">${csrfField(viewer)}<label for="body">Say something</label>
      <textarea id="body" name="body" maxlength="500" required>${form.body}</textarea>${error(form.errors, 'body')}
      <button>Post</button></form>`;
  const items = posts.map((post) => postItem(viewer, post));
  const pages = html`<nav class="pages">${more.newer && html`<a href="${more.newer}">Newer</a>`}
    ${more.older && html`<a href="${more.older}">Older</a>`}</nav>`;
  return layout('The board', viewer, html`${compose}${posts.length ? items : html`<p>Nothing yet.</p>`}${pages}`);
}

/** The login and register forms: what the user typed comes back, the password never does. */
export function accountPage(kind: 'login' | 'register', viewer: Viewer, name = '', errors: Errors = {}) {
  const title = kind === 'login' ? 'Log in' : 'Register';
  return layout(
    title,
    viewer,
    html`<form method="post" action="/${kind}">${csrfField(viewer)}${error(errors, 'form')}
      <label for="name">Name</label><input id="name" name="name" value="${name}" maxlength="32" required autocomplete="username">${error(errors, 'name')}
      <label for="password">Password</label><input id="password" name="password" type="password" maxlength="128" required
        autocomplete="${kind === 'login' ? 'current-password' : 'new-password'}">${error(errors, 'password')}
      <button>${title}</button></form>`,
  );
}

export function editPage(viewer: Viewer, post: Pick<Post, 'id'>, body: string, errors: Errors = {}) {
  return layout(
    'Edit your post',
    viewer,
    html`<form method="post" action="/posts/${post.id}/edit">${csrfField(viewer)}<label for="body">Your post</label>
      <textarea id="body" name="body" maxlength="500" required>${body}</textarea>${error(errors, 'body')}
      <button>Save</button></form>`,
  );
}

/** A page for an error or a refusal: what happened, in words, and a way back. */
export function messagePage(viewer: Viewer, title: string, message: string) {
  return layout(title, viewer, html`<p>${message}</p><p><a href="/">Back to the board</a></p>`);
}
