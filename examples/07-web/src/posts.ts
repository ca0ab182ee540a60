/**
 * The board itself: a page of posts, newest first, and a signed-in member's post, edit and delete. Every query
 * takes its values as parameters (`?`), so a post saying '); DROP TABLE posts;-- is stored and shown as text.
 * The order comes from a fixed list of ORDER BY clauses, never from the request; the page size is bounded. Only
 * a post's author may change it: anyone else gets 403, a post that does not exist 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Board, refuse, sendPage, viewerOf } from './board-app.ts';
import { boardPage, editPage, type Post } from './pages.ts';

const maxPostLength = 500;
// The sorts a visitor may ask for, by name; what reaches SQL is one of these strings.
const sorts = { newest: 'posts.created_at DESC, posts.id DESC', oldest: 'posts.created_at ASC, posts.id ASC' };
type Sort = keyof typeof sorts;
const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
    size: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
    sort: { type: 'string', enum: Object.keys(sorts), default: 'newest' },
  },
  additionalProperties: false,
} as const;
const postParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const bodyOf = (request: FastifyRequest) => {
  const value = (request.body as Record<string, unknown>).body;
  return typeof value === 'string' ? value.trim() : '';
};
const checkBody = (body: string) =>
  body.length === 0 || body.length > maxPostLength
    ? { body: `A post is 1 to ${maxPostLength} characters.` }
    : undefined;

export function postRoutes(app: FastifyInstance, board: Board) {
  const columns = `posts.id, users.name AS author, body, posts.created_at AS createdAt, edited_at AS editedAt
    FROM posts JOIN users ON users.id = posts.user_id`;
  const pageOf = Object.fromEntries(
    Object.entries(sorts).map(([sort, order]) => [
      sort,
      board.database.prepare(`SELECT ${columns} ORDER BY ${order} LIMIT ? OFFSET ?`),
    ]),
  ) as Record<Sort, ReturnType<typeof board.database.prepare>>;
  const findPost = board.database.prepare(`SELECT posts.user_id AS userId, ${columns} WHERE posts.id = ?`);
  const insertPost = board.database.prepare('INSERT INTO posts (user_id, body, created_at) VALUES (?, ?, ?)');
  const updatePost = board.database.prepare('UPDATE posts SET body = ?, edited_at = ? WHERE id = ?');
  const deletePost = board.database.prepare('DELETE FROM posts WHERE id = ?');

  const showBoard = (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { body: string; errors: Record<string, string> },
  ) => {
    const { page, size, sort } = request.query as { page: number; size: number; sort: Sort };
    // One row more than the page shows says whether there is an older page.
    const rows = pageOf[sort].all(size + 1, (page - 1) * size) as unknown as Post[];
    const link = (to: number) => `/?page=${to}&size=${size}&sort=${sort}`;
    const more = {
      newer: page > 1 ? link(page - 1) : undefined,
      older: rows.length > size ? link(page + 1) : undefined,
    };
    return sendPage(reply, boardPage(viewerOf(request), rows.slice(0, size), more, form), form ? 422 : 200);
  };
  app.get('/', { schema: { querystring: pageQuery } }, async (request, reply) => showBoard(request, reply));

  app.post('/posts', { schema: { querystring: pageQuery } }, async (request, reply) => {
    const userId = request.session?.userId;
    if (!userId) return reply.redirect('/login', 303);
    const body = bodyOf(request);
    const errors = checkBody(body);
    if (errors) return showBoard(request, reply, { body, errors });
    insertPost.run(userId, body, Date.now());
    return reply.redirect('/', 303);
  });

  // The post the URL names, if the visitor may change it; otherwise the refusal has been sent.
  const ownPost = (request: FastifyRequest, reply: FastifyReply) => {
    const userId = request.session?.userId;
    if (!userId) return void reply.redirect('/login', 303);
    const post = findPost.get((request.params as { id: number }).id) as (Post & { userId: number }) | undefined;
    if (!post) return void refuse(request, reply, 404, 'Not found', 'There is no such post.');
    if (post.userId !== userId)
      return void refuse(request, reply, 403, 'Not yours', 'Only its author may change a post.');
    return post;
  };
  app.get('/posts/:id/edit', { schema: { params: postParams } }, async (request, reply) => {
    const post = ownPost(request, reply);
    return post ? sendPage(reply, editPage(viewerOf(request), post, post.body)) : reply;
  });
  app.post('/posts/:id/edit', { schema: { params: postParams } }, async (request, reply) => {
    const post = ownPost(request, reply);
    if (!post) return reply;
    const body = bodyOf(request);
    const errors = checkBody(body);
    if (errors) return sendPage(reply, editPage(viewerOf(request), post, body, errors), 422);
    updatePost.run(body, Date.now(), post.id);
    return reply.redirect('/', 303);
  });
  app.post('/posts/:id/delete', { schema: { params: postParams } }, async (request, reply) => {
    const post = ownPost(request, reply);
    if (!post) return reply;
    deletePost.run(post.id);
    return reply.redirect('/', 303);
  });
}
