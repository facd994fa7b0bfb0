import { Module } from '@nestjs/common';

import { MCP_PROMPTS } from '../mcp/catalog/prompt-definition';
import { PRODUCT_PROMPTS } from './product-prompts';

/** The product's prompts, handed to the MCP layer, which serves whatever it is given. */
@Module({
  providers: [{ provide: MCP_PROMPTS, useValue: PRODUCT_PROMPTS }],
  exports: [MCP_PROMPTS],
})
export class PromptsModule {}
