// The list wrapper shared by GET /videos and GET /upload-tokens: {data, pagination{…, links}}.
import { intParam } from './http';

export interface Page<T> {
  data: T[];
  pagination: {
    itemsTotal: number;
    pagesTotal: number;
    pageSize: number;
    currentPage: number;
    currentPageItems: number;
    links: { rel: string; uri: string }[];
  };
}

export function pageParams(query: URLSearchParams): { currentPage: number; pageSize: number } {
  return {
    currentPage: intParam(query, 'currentPage', 1, 1, 2_147_483_647),
    pageSize: intParam(query, 'pageSize', 25, 1, 100),
  };
}

/** `base` is the server's public URL: link URIs are absolute (the spec's pagination-link.uri has format uri). */
export function paginate<T>(items: T[], base: string, path: string, query: URLSearchParams): Page<T> {
  const { currentPage, pageSize } = pageParams(query);
  const pagesTotal = Math.ceil(items.length / pageSize);
  const data = items.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  const link = (rel: string, page: number) => {
    const params = new URLSearchParams(query);
    params.set('currentPage', String(page));
    params.set('pageSize', String(pageSize));
    return { rel, uri: `${base}${path}?${params.toString()}` };
  };
  const last = Math.max(1, pagesTotal);
  const links = [link('self', currentPage), link('first', 1)];
  if (currentPage > 1) links.push(link('previous', Math.min(currentPage - 1, last)));
  if (currentPage < pagesTotal) links.push(link('next', currentPage + 1));
  links.push(link('last', last));
  return {
    data,
    pagination: { itemsTotal: items.length, pagesTotal, pageSize, currentPage, currentPageItems: data.length, links },
  };
}
