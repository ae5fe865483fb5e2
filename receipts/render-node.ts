// Receipt rendering on the edge (and in Node tests), with receiptline's npm entry.
import { transform } from 'receiptline';
import { createRenderer } from './render';

export const { renderSvg, renderEscPos } = createRenderer(transform);
